// GitHub's token formats: classic and OAuth/app tokens (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained
// PATs (github_pat_). Declared in the provider spec; masked in log lines and wherever text is stored.
const GITHUB_SECRET_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
];
export default GITHUB_SECRET_PATTERNS;
