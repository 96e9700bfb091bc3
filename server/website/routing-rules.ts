/**
 * Routing rules and redirects of the website endpoint (docs/spec/website.md §3.6, §3.8, §3.11,
 * §3.13): which rule applies, and where it sends the browser. Pure: strings in, strings out.
 */
import type { WebsiteConfiguration, WebsiteRoutingRule } from '../../storage';

export interface Redirect {
  status: number;
  location: string;
}

function prefixMatches(rule: WebsiteRoutingRule, key: string): boolean {
  const prefix = rule.condition?.keyPrefixEquals;
  return prefix === undefined || key.startsWith(prefix);
}

/**
 * §3.8 (pass 1, before the lookup): the first rule without HttpErrorCodeReturnedEquals whose
 * KeyPrefixEquals, if any, prefixes the key as requested (before the index suffix).
 */
export function ruleBeforeLookup(rules: readonly WebsiteRoutingRule[], key: string): WebsiteRoutingRule | undefined {
  return rules.find((r) => r.condition?.httpErrorCodeReturnedEquals === undefined && prefixMatches(r, key));
}

/** §3.11 (pass 2, on error S): the first rule with HttpErrorCodeReturnedEquals = S whose prefix, if any, matches. */
export function ruleOnError(rules: readonly WebsiteRoutingRule[], key: string, status: number): WebsiteRoutingRule | undefined {
  return rules.find((r) => r.condition?.httpErrorCodeReturnedEquals === String(status) && prefixMatches(r, key));
}

/**
 * A key as it goes into a Location: spaces, `%`, controls and non-ASCII percent-encoded, the rest
 * as is, so the SPA recipe `ReplaceKeyPrefixWith: "#!/"` gives `/#!/path`. UNVERIFIED(S3) (§3.13).
 */
export function keyPath(key: string): string {
  try {
    return encodeURI(key);
  } catch {
    return encodeURI(key.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
}

/**
 * §3.13: scheme = Protocol or the request's; host = HostName or the request's Host (port kept);
 * key = ReplaceKeyWith, or the matched KeyPrefixEquals ('' without one) replaced once at the start
 * by ReplaceKeyPrefixWith, or the key unchanged; status HttpRedirectCode or 301.
 */
export function ruleRedirect(rule: WebsiteRoutingRule, key: string, request: { scheme: string; host: string }): Redirect {
  const r = rule.redirect;
  let target = key;
  if (r.replaceKeyWith !== undefined) target = r.replaceKeyWith;
  else if (r.replaceKeyPrefixWith !== undefined) {
    const prefix = rule.condition?.keyPrefixEquals ?? '';
    target = r.replaceKeyPrefixWith + key.slice(prefix.length);
  }
  const scheme = r.protocol ?? request.scheme;
  const host = r.hostName ?? request.host;
  return { status: r.httpRedirectCode === undefined ? 301 : Number(r.httpRedirectCode), location: `${scheme}://${host}/${keyPath(target)}` };
}

/**
 * §3.6: RedirectAllRequestsTo sends every request, path as requested, to the other host.
 * UNVERIFIED(S3): the query string is kept.
 */
export function redirectAll(config: WebsiteConfiguration, rawPath: string, rawQuery: string, scheme: string): Redirect | undefined {
  const to = config.redirectAllRequestsTo;
  if (to === undefined) return undefined;
  return { status: 301, location: `${to.protocol ?? scheme}://${to.hostName}${rawPath}${rawQuery === '' ? '' : `?${rawQuery}`}` };
}
