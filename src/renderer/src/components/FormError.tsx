/** Main's refusal under a form, announced as it appears; nothing while there is none. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null
}
