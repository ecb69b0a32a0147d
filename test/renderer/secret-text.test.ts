import { describe, expect, it } from 'vitest'
import { applyEdit, shown, splice } from '../../src/renderer/src/components/secret-text'

const WINDOWS_PEM = '-----BEGIN KEY-----\r\nAAAA\r\nBBBB\r\n-----END KEY-----\r\n'

describe('secret text kept raw beside a textarea', () => {
  it('shows CR LF and a lone CR as the textarea would, and anything else as is', () => {
    expect(shown('a\r\nb\rc\n\td ')).toBe('a\nb\nc\n\td ')
    expect(shown('  plain\t ')).toBe('  plain\t ')
  })

  it('splices at positions of the shown text without touching CRs elsewhere', () => {
    const at = shown(WINDOWS_PEM).indexOf('BBBB')
    expect(splice(WINDOWS_PEM, at, at + 4, 'CCCC')).toBe(WINDOWS_PEM.replace('BBBB', 'CCCC'))
    expect(splice('', 0, 0, WINDOWS_PEM)).toBe(WINDOWS_PEM)
  })

  it('applies typing, deleting and replacing to the raw text, keeping every other byte', () => {
    const typed = shown(WINDOWS_PEM).replace('AAAA', 'AAxAA')
    expect(applyEdit(WINDOWS_PEM, typed)).toBe(WINDOWS_PEM.replace('AAAA', 'AAxAA'))
    const deleted = shown(WINDOWS_PEM).replace('BBBB\n', '')
    expect(applyEdit(WINDOWS_PEM, deleted)).toBe(WINDOWS_PEM.replace('BBBB\r\n', ''))
    const appended = `${shown(WINDOWS_PEM)}tail\n`
    expect(applyEdit(WINDOWS_PEM, appended)).toBe(`${WINDOWS_PEM}tail\n`)
    expect(applyEdit('no carriage returns', 'no carriage returns!')).toBe('no carriage returns!')
  })
})
