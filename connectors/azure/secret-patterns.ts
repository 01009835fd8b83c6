// Microsoft Entra ID client secrets: three characters, a digit, "Q~", then 31-34 characters
// (e.g. abc8Q~…). Declared in the provider spec; masked in log lines and wherever text is stored.
const AZURE_SECRET_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3,4}Q~[A-Za-z0-9_~.-]{31,34}/g,
];
export default AZURE_SECRET_PATTERNS;
