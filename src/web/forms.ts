import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** What a form template receives: values to refill, one message per field, and the summary list. */
export interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  summary: FieldError[];
}

export const emptyForm = (values: Record<string, unknown> = {}): FormState => ({ values, errors: {}, summary: [] });

/** Builds a FormState with the given errors (first message per field wins), keeping the order of the summary. */
export function formWithErrors(values: Record<string, unknown>, errors: FieldError[]): FormState {
  const byField: Record<string, string> = {};
  const summary: FieldError[] = [];
  for (const e of errors) {
    if (byField[e.field]) continue;
    byField[e.field] = e.message;
    summary.push(e);
  }
  return { values, errors: byField, summary };
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; form: FormState };

/** Parses a request body with a form's zod schema; on failure returns the re-render state (no password echoed). */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.infer<S>> {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const values = Object.fromEntries(Object.entries(raw).filter(([k]) => !/password/i.test(k) && k !== '_csrf'));
  return {
    ok: false,
    form: formWithErrors(
      values,
      result.error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message })),
    ),
  };
}
