// Lint rule `house/function-size`: a function's own lines (its body less the functions
// nested in it) stay under a limit. Factories that return closures are measured by their own
// wiring, and each closure on its own, so the rule asks for short pieces, not for no closures.
const FUNCTION_NODES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Lines a node spans. */
const span = (node) => node.loc.end.line - node.loc.start.line + 1;

/** @type {import('eslint').Rule.RuleModule} */
export const functionSize = {
  meta: {
    type: 'suggestion',
    docs: { description: 'limit the lines of a function, not counting the functions nested in it' },
    schema: [{ type: 'object', properties: { max: { type: 'integer', minimum: 1 } }, additionalProperties: false }],
    messages: { tooLong: '{{name}} has {{lines}} lines of its own (limit {{max}}): split it into named pieces' },
  },
  create(context) {
    const max = context.options[0]?.max ?? 80;
    const stack = [];
    const enter = (node) => stack.push({ node, nested: 0 });
    const exit = (node) => {
      const frame = stack.pop();
      const own = span(node) - frame.nested;
      if (stack.length > 0) stack[stack.length - 1].nested += span(node);
      if (own > max) {
        const name = node.id?.name ?? (node.parent?.type === 'VariableDeclarator' ? node.parent.id.name : null) ?? (node.parent?.key?.name) ?? 'this function';
        context.report({ node, messageId: 'tooLong', data: { name, lines: String(own), max: String(max) } });
      }
    };
    const handlers = {};
    for (const type of FUNCTION_NODES) {
      handlers[type] = enter;
      handlers[`${type}:exit`] = exit;
    }
    return handlers;
  },
};

export default { rules: { 'function-size': functionSize } };
