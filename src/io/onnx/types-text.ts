/**
 * Type rules of the default domain's ops on strings and encoded bytes: StringNormalizer (stopwords
 * make the length data-dependent), RegexFullMatch, StringConcat, StringSplit (substrings per element
 * decided by the data), TfIdfVectorizer (float32 n-gram counts) and ImageDecoder (an image of the
 * size the file holds). Spec: onnx/defs/text/defs.cc, nn/defs.cc (TfIdfVectorizer), image/defs.cc.
 */
import { broadcast, ints, text, typed } from './type-rule.js';
import type { Rule } from './type-rule.js';

/** StringNormalizer: [C] or [1, C] where stopword removal decides C. */
const stringNormalizer: Rule = (n) => {
  const x = n.input(0);
  if (!x) return [];
  const kept = n.fresh(0, 'kept');
  return [typed('string', x.shape.length === 2 ? [1, kept] : [kept])];
};

const regexFullMatch: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed('bool', x.shape)] : [];
};

const stringConcat: Rule = (n) => {
  const [a, b] = [n.input(0), n.input(1)];
  return a && b ? [typed('string', broadcast(n, [a.shape, b.shape]))] : [];
};

/** StringSplit: Y adds a dim of the most substrings any element splits into; Z counts them per element. */
const stringSplit: Rule = (n) => {
  const x = n.input(0);
  return x ? [typed('string', [...x.shape, n.fresh(0, 'parts')]), typed('int64', x.shape)] : [];
};

/** TfIdfVectorizer: [C] → [max(ngram_indexes) + 1], [N, C] → [N, that], float32. */
const tfIdf: Rule = (n) => {
  const x = n.input(0);
  const indexes = ints(n, 'ngram_indexes');
  if (!x || !indexes) return [];
  const width = Math.max(-1, ...indexes) + 1;
  return [typed('float32', x.shape.length === 2 ? [x.shape[0]!, width] : [width])];
};

/** ImageDecoder: uint8 [H, W, C], H and W from the encoded image, C 1 for Grayscale else 3. */
const imageDecoder: Rule = (n) => [typed('uint8', [n.fresh(0, 'height'), n.fresh(0, 'width'), text(n, 'pixel_format', 'RGB') === 'Grayscale' ? 1 : 3])];

export const TEXT_RULES: Readonly<Record<string, Rule>> = {
  StringNormalizer: stringNormalizer,
  RegexFullMatch: regexFullMatch,
  StringConcat: stringConcat,
  StringSplit: stringSplit,
  TfIdfVectorizer: tfIdf,
  ImageDecoder: imageDecoder,
};
