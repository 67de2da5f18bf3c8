/**
 * The trained classifier: multinomial logistic regression over the message features
 * (features.ts), each message's vector scaled to unit length (TF-IDF-weighted counts). Trained
 * at start from the corpus in a few hundred milliseconds; nothing is read or fetched later.
 * A naive Bayes model over the same features is kept for the measurement that chose this one
 * (scripts/intent-eval.ts --compare).
 */
import { featuresOf } from './features.ts';

/** One labelled example. */
export interface Example {
  text: string;
  label: string;
}

/** A label with its probability, likeliest first. */
export interface Scored {
  label: string;
  p: number;
}

/** A trained model: ranks every label for a text. */
export interface Classifier {
  readonly kind: string;
  readonly labels: readonly string[];
  rank(text: string): Scored[];
}

type Sparse = { idx: Int32Array; val: Float32Array };

class Vocabulary {
  readonly index = new Map<string, number>();
  df: number[] = [];
  idf: Float32Array = new Float32Array(0);

  counts(text: string, grow: boolean): Map<number, number> {
    const out = new Map<number, number>();
    for (const f of featuresOf(text)) {
      let i = this.index.get(f);
      if (i === undefined) {
        if (!grow) continue;
        i = this.index.size;
        this.index.set(f, i);
        this.df.push(0);
      }
      out.set(i, (out.get(i) ?? 0) + 1);
    }
    return out;
  }

  finish(docs: number): void {
    this.idf = Float32Array.from(this.df, (d) => Math.log((1 + docs) / (1 + d)) + 1);
  }

  vector(counts: Map<number, number>): Sparse {
    const idx = Int32Array.from(counts.keys());
    const val = Float32Array.from(idx, (i) => (1 + Math.log(counts.get(i)!)) * this.idf[i]!);
    let norm = 0;
    for (const v of val) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < val.length; k++) val[k]! /= norm;
    return { idx, val };
  }
}

function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += z[k] = Math.exp(z[k]! - max);
  for (let k = 0; k < z.length; k++) z[k]! /= sum;
  return z;
}

function ranked(labels: readonly string[], p: ArrayLike<number>): Scored[] {
  return labels.map((label, k) => ({ label, p: p[k]! })).sort((a, b) => b.p - a.p);
}

/** Options of the logistic regression (the defaults are the measured choice). */
export interface TrainOptions {
  epochs?: number;
  rate?: number;
  l2?: number;
  seed?: number;
  /** How far the classes are reweighted toward equal size (0: not at all, 1: fully). */
  balance?: number;
}

/** Trains the logistic regression (AdaGrad, L2) on the examples. */
export function trainLogistic(examples: Example[], opts: TrainOptions = {}): Classifier & { params: LogisticParams } {
  const { epochs = 10, rate = 0.5, l2 = 1e-5, balance = 0.5 } = opts;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const vocab = new Vocabulary();
  const counted = examples.map((e) => {
    const c = vocab.counts(e.text, true);
    for (const i of c.keys()) vocab.df[i]!++;
    return c;
  });
  vocab.finish(examples.length);
  const xs = counted.map((c) => vocab.vector(c));
  const ys = examples.map((e) => labels.indexOf(e.label));
  const L = labels.length;
  const sizes = labels.map((_, k) => ys.filter((y) => y === k).length);
  const weight = sizes.map((n) => (examples.length / (L * n)) ** balance);
  const V = vocab.index.size;
  const w = new Float32Array(V * L);
  const g2 = new Float32Array(V * L).fill(1e-8);
  const bias = new Float64Array(L);
  const order = xs.map((_, i) => i);
  let seed = opts.seed ?? 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const z = new Float64Array(L);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const { idx, val } = xs[n]!;
      for (let k = 0; k < L; k++) z[k] = bias[k]!;
      for (let a = 0; a < idx.length; a++) for (let k = 0; k < L; k++) z[k]! += w[idx[a]! * L + k]! * val[a]!;
      softmax(z);
      for (let k = 0; k < L; k++) {
        const err = (z[k]! - (ys[n] === k ? 1 : 0)) * weight[ys[n]!]!;
        bias[k]! -= 0.1 * err;
        for (let a = 0; a < idx.length; a++) {
          const at = idx[a]! * L + k;
          const grad = err * val[a]! + l2 * w[at]!;
          g2[at]! += grad * grad;
          w[at]! -= (rate * grad) / Math.sqrt(g2[at]!);
        }
      }
    }
  }
  const features: string[] = new Array(V);
  for (const [f, i] of vocab.index) features[i] = f;
  return logisticClassifier({ labels, features, idf: vocab.idf, weights: w, bias });
}

/** What a trained logistic regression is: its labels, feature list with IDF, weights (feature-major) and biases. */
export interface LogisticParams {
  labels: string[];
  features: string[];
  idf: Float32Array;
  /** `features.length * labels.length` weights, feature-major. */
  weights: Float32Array;
  bias: Float64Array;
}

/** The classifier of a trained (or shipped) logistic regression. */
export function logisticClassifier(params: LogisticParams): Classifier & { params: LogisticParams } {
  const { labels, weights: w, bias } = params;
  const L = labels.length;
  const vocab = new Vocabulary();
  params.features.forEach((f, i) => vocab.index.set(f, i));
  vocab.idf = params.idf;
  return {
    kind: 'logistic',
    labels,
    params,
    rank(text) {
      const { idx, val } = vocab.vector(vocab.counts(text, false));
      const s = new Float64Array(L);
      for (let k = 0; k < L; k++) s[k] = bias[k]!;
      for (let a = 0; a < idx.length; a++) for (let k = 0; k < L; k++) s[k]! += w[idx[a]! * L + k]! * val[a]!;
      return ranked(labels, softmax(s));
    },
  };
}

/** Multinomial naive Bayes on the same features (the model logistic regression was measured against). */
export function trainBayes(examples: Example[], alpha = 0.1): Classifier {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const vocab = new Vocabulary();
  const per = labels.map(() => new Map<number, number>());
  const totals = labels.map(() => 0);
  const prior = labels.map((l) => Math.log(examples.filter((e) => e.label === l).length / examples.length));
  for (const e of examples) {
    const k = labels.indexOf(e.label);
    for (const [i, c] of vocab.counts(e.text, true)) {
      per[k]!.set(i, (per[k]!.get(i) ?? 0) + c);
      totals[k]! += c;
    }
  }
  const V = vocab.index.size;
  return {
    kind: 'bayes',
    labels,
    rank(text) {
      const counts = vocab.counts(text, false);
      const s = new Float64Array(labels.length);
      labels.forEach((_, k) => {
        let v = prior[k]!;
        for (const [i, c] of counts) v += c * Math.log(((per[k]!.get(i) ?? 0) + alpha) / (totals[k]! + alpha * V));
        s[k] = v;
      });
      return ranked(labels, softmax(s));
    },
  };
}
