/**
 * GitHub knows logins, not emails: a member roster does not know appears as
 * `<login>@users.noreply.github.com`. The GitHub provider reads members so,
 * and export turns such an address back into the login.
 */
export const NOREPLY = '@users.noreply.github.com';
