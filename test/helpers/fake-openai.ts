/**
 * A fake OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models) scripted per test: answers with
 * text, tool calls, an HTTP error, or never answers; streams (SSE) when the request asks to.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer. */
export interface FakeStep {
  content?: string;
  toolCalls?: { name: string; arguments: unknown; id?: string }[];
  /** Answer with this HTTP status and an error body instead. */
  status?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  usage?: { prompt: number; completion: number };
}

/** What the fake saw: the parsed request body and the Authorization header. */
export interface FakeRequest {
  body: {
    model: string;
    messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
    tools?: { function: { name: string } }[];
    stream?: boolean;
  };
  authorization: string | undefined;
}

export type FakeHandler = (req: FakeRequest, index: number) => FakeStep | Promise<FakeStep>;

export interface FakeOpenAI {
  /** Base URL including /v1, for OPENAI_BASE_URL. */
  url: string;
  requests: FakeRequest[];
  /** What GET /v1/models lists (tests may change it). */
  models: string[];
  setHandler(h: FakeHandler): void;
  close(): Promise<void>;
}

/** Answers the steps in order; after the last one, repeats it. */
export function sequence(...steps: FakeStep[]): FakeHandler {
  return (_req, i) => steps[Math.min(i, steps.length - 1)]!;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toolCallsOf(step: FakeStep, index: number) {
  return (step.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${index}_${i}`,
    type: 'function' as const,
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) },
  }));
}

function answer(res: ServerResponse, body: FakeRequest['body'], step: FakeStep, index: number): void {
  const usage = { prompt_tokens: step.usage?.prompt ?? 100, completion_tokens: step.usage?.completion ?? 20 };
  const toolCalls = toolCallsOf(step, index);
  const finish = toolCalls.length ? 'tool_calls' : 'stop';
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${index}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: step.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) } }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: `chatcmpl-${index}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model };
  const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
  send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  // Words one chunk each, so the client sees several deltas.
  for (const word of (step.content ?? '').split(/(?<= )/)) if (word) send({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
  toolCalls.forEach((c, i) => {
    send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } }] }, finish_reason: null }] });
    send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: c.function.arguments } }] }, finish_reason: null }] });
  });
  send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  send({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
  res.end('data: [DONE]\n\n');
}

/** Starts the fake on a random port. */
export async function startFakeOpenAI(handler: FakeHandler = () => ({ content: 'ok' })): Promise<FakeOpenAI> {
  let h = handler;
  let count = 0;
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const fake = { models: ['gpt-4o-mini', 'gpt-4o'] };
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: fake.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) }));
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as FakeRequest['body'];
    const fr: FakeRequest = { body, authorization: req.headers.authorization };
    requests.push(fr);
    const index = count++;
    const step = await h(fr, index);
    if (step.hang) return; // left open until the client gives up or the fake closes
    if (step.status && step.status >= 400) {
      res.writeHead(step.status, { 'content-type': 'application/json', ...(step.status === 429 ? { 'retry-after': '0' } : {}) });
      res.end(JSON.stringify({ error: { message: `scripted ${step.status}`, type: 'server_error' } }));
      return;
    }
    answer(res, body, step, index);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get models() {
      return fake.models;
    },
    set models(list) {
      fake.models = list;
    },
    setHandler(next) {
      h = next;
      count = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
