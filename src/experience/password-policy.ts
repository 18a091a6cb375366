/**
 * The Experience API's password policy, reported as Logto reports it: 422 `password.rejected` with
 * `data.issues` of `{code: 'password_rejected.<reason>', interpolation?}`. Herald checks length
 * (HERALD_PASSWORD_MIN_LENGTH to 256) and that the password does not contain the username.
 */
import { HeraldError } from '../http/errors.ts';

export const PASSWORD_MAX_LENGTH = 256;

export function checkPassword(
  password: string,
  options: { minLength: number; username?: string | null | undefined },
): void {
  const issues: { code: string; interpolation?: Record<string, number> }[] = [];
  if (password.length < options.minLength)
    issues.push({ code: 'password_rejected.too_short', interpolation: { min: options.minLength } });
  if (password.length > PASSWORD_MAX_LENGTH)
    issues.push({ code: 'password_rejected.too_long', interpolation: { max: PASSWORD_MAX_LENGTH } });
  if (options.username && password.toLowerCase().includes(options.username.toLowerCase()))
    issues.push({ code: 'password_rejected.restricted.user_info' });
  if (issues.length) throw new HeraldError('password.rejected', { data: { issues } });
}
