// Google's secret formats: OAuth access tokens (ya29.), refresh tokens (1//0…), API keys (AIza + 35),
// OAuth client secrets (GOCSPX-). Service-account private keys are PEM blocks, which the core masks.
// Declared in the provider spec; masked in log lines and wherever text is stored.
const GOOGLE_SECRET_PATTERNS: readonly RegExp[] = [
  /\bya29\.[A-Za-z0-9_.-]{10,}/g,
  /\b1\/\/0[A-Za-z0-9_-]{30,}/g,
  /\bAIza[A-Za-z0-9_-]{35}/g,
  /\bGOCSPX-[A-Za-z0-9_-]{20,}/g,
];
export default GOOGLE_SECRET_PATTERNS;
