// Subaccount and agent ids as the API accepts them: 1-64 of A-Z a-z 0-9 _ -.

const kIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidId(text) {
  return typeof text === 'string' && kIdPattern.test(text);
}

export function idProblem(text, what) {
  if (!text) return `${what} is required.`;
  if (text.length > 64) return `${what} must be at most 64 characters.`;
  if (!kIdPattern.test(text)) return `${what} may use only letters, digits, "_" and "-".`;
  return '';
}
