import { describe, expect, it } from 'vitest'
import { PASSWORD_MIN_LENGTH, passwordStrength } from '../../src/shared/password-strength'

describe('passwordStrength', () => {
  it.each([
    ['', /Enter/],
    ['short1!', /at least 12/],
    ['aaaaaaaaaaaaaaaa', /different characters/],
    ['abababababababab', /different characters/],
    ['123456789abcdef', /runs|sequences/],
    ['qwertyuiop1234', /runs|sequences/],
    ['Password1234!', /common/],
    ['iloveyou2024!!', /common/],
  ])('refuses %j with advice a person can act on', (password, advice) => {
    const strength = passwordStrength(password)
    expect(strength.acceptable).toBe(false)
    expect(strength.feedback).toMatch(advice)
  })

  it.each(['correct horse battery staple', 'Tr0ub4dor&3-mantle', 'vivid-otter-42-lamp'])(
    'accepts %j',
    (password) => {
      const strength = passwordStrength(password)
      expect(strength.acceptable).toBe(true)
      expect(strength.feedback).toBeNull()
      expect(strength.score).toBeGreaterThanOrEqual(2)
    },
  )

  it('counts characters, not UTF-16 units', () => {
    expect(passwordStrength('🔑'.repeat(PASSWORD_MIN_LENGTH - 1) + 'ab').acceptable).toBe(false)
    expect(passwordStrength('🔑🗝🚪🏠🌳' + 'mandarin!').acceptable).toBe(true)
  })

  it('scores longer passwords higher', () => {
    expect(passwordStrength('vivid-otter-42-lamp-shade-tree').score).toBe(4)
    expect(passwordStrength('short').score).toBe(0)
  })
})
