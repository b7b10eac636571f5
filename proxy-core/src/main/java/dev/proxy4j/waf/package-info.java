/**
 * Attack-pattern filtering in the manner of the OWASP Core Rule Set: {@link dev.proxy4j.waf.Waf} is
 * a filter that runs a small set of rules ({@link dev.proxy4j.waf.WafRule}, the defaults in
 * {@link dev.proxy4j.waf.WafRules}) over a request's method, decoded path, query parameters,
 * headers, cookies and (up to a limit) its form or JSON body, adds each matching rule's
 * {@link dev.proxy4j.waf.Severity} to an anomaly score, and refuses the request with 403 once the
 * score reaches the threshold ({@link dev.proxy4j.waf.WafMode#BLOCK}), or only logs
 * ({@link dev.proxy4j.waf.WafMode#DETECT}). Paranoia levels select how many rules run.
 */
@NullMarked
package dev.proxy4j.waf;

import org.jspecify.annotations.NullMarked;
