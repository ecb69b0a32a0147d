/**
 * The one rule for a master password, shared by main (which enforces it on create and change) and
 * the renderer's strength meter (which shows it), so the meter can never promise what main refuses.
 * Pure and environment-neutral. The rule follows NIST SP 800-63B: length matters most, composition
 * rules do not; known-weak passwords and trivial patterns are refused outright.
 */
export const PASSWORD_MIN_LENGTH = 12

export type PasswordScore = 0 | 1 | 2 | 3 | 4

export interface PasswordStrength {
  score: PasswordScore
  acceptable: boolean
  /** What to do about it, for a person; null when acceptable. */
  feedback: string | null
}

// A short list of the most common passwords of 12+ characters and their stems; a longer list would
// cost the renderer bundle more than it buys over the pattern checks below.
const COMMON = [
  'password',
  'qwerty',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'starwars',
  'latchkey',
  'trustno1',
  'abc123',
  'passw0rd',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1q2w3e4r',
]

export function passwordStrength(password: string): PasswordStrength {
  const characters = [...password]
  const length = characters.length
  if (length === 0) return weak(0, 'Enter a master password.')
  if (length < PASSWORD_MIN_LENGTH) {
    return weak(
      length < 8 ? 0 : 1,
      `Use at least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words work well.`,
    )
  }
  if (new Set(characters.map((c) => c.toLowerCase())).size < 5) {
    return weak(1, 'Use more different characters; repeating a few is easy to guess.')
  }
  if (isSequence(password)) return weak(1, 'Avoid keyboard runs and counting sequences like "123456789abc".')
  if (isMostlyCommon(password))
    return weak(1, 'That is built on a very common password; choose something less predictable.')
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length
  const score: PasswordScore =
    length >= 20 || (length >= 16 && classes >= 2) ? 4 : classes >= 3 || length >= 16 ? 3 : 2
  return { score, acceptable: true, feedback: null }
}

function weak(score: PasswordScore, feedback: string): PasswordStrength {
  return { score, acceptable: false, feedback }
}

/** Strips the common stem and digits/punctuation around it; what is left must carry real length. */
function isMostlyCommon(password: string): boolean {
  const lower = password.toLowerCase()
  for (const word of COMMON) {
    if (!lower.includes(word)) continue
    const rest = lower.replace(word, '').replace(/[^a-z]/g, '')
    if (rest.length < 6) return true
  }
  return false
}

const RUNS = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiopasdfghjklzxcvbnm']

/** True when nearly every next character continues a run (forwards or backwards) from the last one. */
function isSequence(password: string): boolean {
  const lower = password.toLowerCase()
  let inRun = 0
  for (let i = 1; i < lower.length; i += 1) {
    const pair = lower.slice(i - 1, i + 1)
    const reversed = [...pair].reverse().join('')
    if (pair[0] === pair[1] || RUNS.some((run) => run.includes(pair) || run.includes(reversed))) inRun += 1
  }
  return inRun >= lower.length - 3
}
