/** The Financials section's form (SPEC §8): a project's budget, an amount in a currency. */
import { z } from 'zod';

export const ENTER_AMOUNT = 'Enter the budget, for example 25000 or 25000.50';
export const AMOUNT_NUMBER = 'Enter the budget as an amount, for example 25000.50';
export const AMOUNT_NEGATIVE = 'The budget can’t be less than 0';
export const AMOUNT_DECIMALS = 'The budget can have at most 2 decimals, for example 25000.50';
export const AMOUNT_MAX = 'The budget must be 999,999,999,999.99 or less';
export const CHOOSE_CURRENCY = 'Choose a currency from the list';

/** The budget's column is numeric(14,2): 12 digits before the point. */
const WHOLE_DIGITS = 12;

/** ISO 4217 codes the runtime knows, each with its English name, by code. */
const names = new Intl.DisplayNames('en-GB', { type: 'currency' });
export const CURRENCIES: Readonly<Record<string, string>> = Object.fromEntries(
  Intl.supportedValuesOf('currency').map((code) => [code, `${code} – ${names.of(code) ?? code}`]),
);
export const DEFAULT_CURRENCY = 'EUR';

/**
 * "Budget": a decimal with a point, digits grouped by commas allowed ("25,000.50"), at least 0, at most 2 decimals
 * and at most 999,999,999,999.99. Kept as the text numeric(14,2) stores ('25000.50'), never a float.
 */
const amountField = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/[\s\u00A0\u202F]/g, '') : v),
  z
    .string({ error: ENTER_AMOUNT })
    .min(1, ENTER_AMOUNT)
    .transform((s, ctx) => {
      const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(s);
      if (!m || (!m[1] && !m[2])) {
        ctx.addIssue({ code: 'custom', message: /^-\d/.test(s) ? AMOUNT_NEGATIVE : AMOUNT_NUMBER });
        return z.NEVER;
      }
      const whole = (m[1] ?? '').replace(/,/g, '').replace(/^0+/, '') || '0';
      const decimals = (m[2] ?? '').replace(/0+$/, '');
      if (decimals.length > 2) ctx.addIssue({ code: 'custom', message: AMOUNT_DECIMALS });
      else if (whole.length > WHOLE_DIGITS) ctx.addIssue({ code: 'custom', message: AMOUNT_MAX });
      else return `${whole}.${decimals.padEnd(2, '0')}`;
      return z.NEVER;
    }),
);

/** "Budget" and "Currency". */
export const BudgetForm = z.object({
  amount: amountField,
  currency: z
    .string({ error: CHOOSE_CURRENCY })
    .refine((c) => Object.hasOwn(CURRENCIES, c), CHOOSE_CURRENCY),
});
export type Budget = z.infer<typeof BudgetForm>;

/** A budget as the pages show it (and history keeps it): 'EUR 25,000.50'. */
export function budgetText(b: Budget): string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency: b.currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  // a string keeps every digit (no float on the way)
  return format.format(b.amount as unknown as number).replace(/[\u00A0\u202F]/g, ' ');
}
