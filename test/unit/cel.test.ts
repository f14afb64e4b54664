import { expect, test } from "@jest/globals";
import { compile } from "../../runtime/src/cel/engine.js";

/** Evaluates an expression with `self` bound; errors come back as `error: ...`. */
function run(expression: string, self: unknown = null): unknown {
  const c = compile(expression);
  if (!c.ok) return `not checked: ${c.reason}`;
  const r = c.run({ self });
  return "error" in r ? `error: ${r.error}` : r.value;
}

// Each row: expression, self, expected value (Kubernetes' documented results).
const TABLE: [string, unknown, unknown][] = [
  // lists
  ["[1, 2, 3].isSorted()", null, true],
  ["['b', 'a'].isSorted()", null, false],
  ["[1, 2, 3].sum()", null, 6n],
  ["[1.5, 2.5].sum()", null, 4],
  ["[3, 1, 2].min()", null, 1n],
  ["['a', 'c', 'b'].max()", null, "c"],
  ["[1, 2, 3, 2].indexOf(2)", null, 1n],
  ["[1, 2, 3, 2].lastIndexOf(2)", null, 3n],
  ["[1, 2].indexOf(5)", null, -1n],
  // regex
  ["'abc 123'.find('[0-9]+')", null, "123"],
  ["'a1 b2 c3'.findAll('[0-9]')", null, ["1", "2", "3"]],
  ["'a1 b2 c3'.findAll('[0-9]', 2)", null, ["1", "2"]],
  ["'ABC'.matches('^(?i)abc$')", null, true],
  // URLs
  ["isURL('https://example.com:80/path?x=1')", null, true],
  ["isURL('not a url')", null, false],
  ["isURL('/absolute/path')", null, true],
  ["isURL('relative/path')", null, false],
  ["url('https://user@example.com:8080/a%20b?x=1&x=2').getScheme()", null, "https"],
  ["url('https://example.com:8080/p').getHost()", null, "example.com:8080"],
  ["url('https://[::1]:8080/p').getHostname()", null, "::1"],
  ["url('https://[::1]:8080/p').getPort()", null, "8080"],
  ["url('https://example.com/a%20b').getEscapedPath()", null, "/a%20b"],
  ["url('https://example.com/?x=1&x=2&y=3').getQuery()['x'].size()", null, 2n],
  // IPs and CIDRs
  ["isIP('192.168.0.1')", null, true],
  ["isIP('192.168.00.1')", null, false],
  ["isIP('::ffff:1.2.3.4')", null, false],
  ["isIP('fe80::1%eth0')", null, false],
  ["ip('2001:db8::1').family()", null, 6n],
  ["ip('127.0.0.1').isLoopback()", null, true],
  ["ip('0.0.0.0').isUnspecified()", null, true],
  ["ip('169.254.1.1').isLinkLocalUnicast()", null, true],
  ["ip('8.8.8.8').isGlobalUnicast()", null, true],
  ["ip.isCanonical('2001:db8::1')", null, true],
  ["ip.isCanonical('2001:DB8::1')", null, false],
  ["isCIDR('10.0.0.0/8')", null, true],
  ["isCIDR('10.0.0.0/33')", null, false],
  ["cidr('10.0.0.0/8').containsIP('10.1.2.3')", null, true],
  ["cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))", null, false],
  ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", null, true],
  ["cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')", null, true],
  ["cidr('10.0.0.0/8').prefixLength()", null, 8n],
  ["cidr('10.1.2.3/8').ip() == ip('10.1.2.3')", null, true],
  // quantities
  ["isQuantity('1.5Gi')", null, true],
  ["isQuantity('1.5Gb')", null, false],
  ["quantity('1Gi').isGreaterThan(quantity('1000Mi'))", null, true],
  ["quantity('1k').compareTo(quantity('1000'))", null, 0n],
  ["quantity('500m').asApproximateFloat()", null, 0.5],
  ["quantity('2k').asInteger()", null, 2000n],
  ["quantity('500m').isInteger()", null, false],
  ["quantity('1').add(quantity('500m')).isGreaterThan(quantity('1400m'))", null, true],
  ["quantity('1').sub(2).sign()", null, -1n],
  ["quantity('1e3').compareTo(quantity('1k'))", null, 0n],
  // semver
  ["isSemver('1.2.3-rc.1+build')", null, true],
  ["isSemver('v1.2')", null, false],
  ["isSemver('v1.2', true)", null, true],
  ["semver('1.2.3').isLessThan(semver('1.10.0'))", null, true],
  ["semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", null, true],
  ["semver('1.0.0-alpha.2').compareTo(semver('1.0.0-alpha.10'))", null, -1n],
  ["semver('2.3.4').major() + semver('2.3.4').minor() + semver('2.3.4').patch()", null, 9n],
  // format
  ["format.dns1123Label().validate('my-name').hasValue()", null, false],
  ["format.dns1123Label().validate('My_Name').hasValue()", null, true],
  ["format.dns1123Subdomain().validate('a.b.c').hasValue()", null, false],
  ["format.dns1035Label().validate('1abc').hasValue()", null, true],
  ["format.qualifiedName().validate('example.com/My.Name').hasValue()", null, false],
  ["format.labelValue().validate('').hasValue()", null, false],
  ["format.dns1123LabelPrefix().validate('my-prefix-').hasValue()", null, false],
  ["format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()", null, false],
  ["format.named('dns1123Label').hasValue()", null, true],
  ["format.named('nope').hasValue()", null, false],
  ["format.byte().validate('aGVsbG8=').hasValue()", null, false],
  ["format.date().validate('2023-02-29').value()[0]", null, "invalid date"],
  // optional values
  ["optional.of(1).value()", null, 1n],
  ["optional.none().orValue(7)", null, 7n],
  ["optional.ofNonZeroValue('').hasValue()", null, false],
  ["optional.none().or(optional.of(2)).value()", null, 2n],
  ["optional.none().value()", null, "error: optional.none() dereference"],
  // sets and math
  ["sets.contains([1, 2, 3], [2, 3])", null, true],
  ["sets.equivalent([1, 2], [2, 1, 1])", null, true],
  ["sets.intersects([1, 2], [3])", null, false],
  ["math.greatest(1, 5, 3)", null, 5n],
  ["math.least([4, 2, 8])", null, 2n],
  ["math.ceil(1.2)", null, 2],
  ["math.abs(-3)", null, 3n],
  ["math.bitAnd(6, 3)", null, 2n],
  ["math.isNaN(0.0 / 0.0)", null, true],
  // strings extension and the standard library
  ["'Hello'.lowerAscii()", null, "hello"],
  ["'a,b,c'.split(',').size()", null, 3n],
  ["'abcdef'.substring(1, 3)", null, "bc"],
  ["'  x '.trim()", null, "x"],
  ["['a', 'b'].join('-')", null, "a-b"],
  ["duration('1h30m') > duration('90m')", null, false],
  ["self.all(k, k.startsWith('a'))", { ab: 1n, ac: 2n }, true],
  ["has(self[0].m)", [{ m: 1n }], true],
  ["self.x", {}, "error: field not found: x"],
];

test.each(TABLE)("%s", (expression, self, expected) => {
  const got = run(expression, self);
  const plain = got !== null && typeof got === "object" && Symbol.iterator in got ? Array.from(got as Iterable<unknown>) : got;
  expect(plain).toEqual(expected);
});

test("a function the environment lacks makes the rule not checked, naming it", () => {
  expect(compile("self.isBogus() && image(self).registry() == 'x'")).toEqual({ ok: false, reason: "not implemented here: image, isBogus, registry" });
  expect(compile("optional.of(1).nope()")).toEqual({ ok: false, reason: "not implemented here: nope" });
});

test("syntax the engine does not parse (optional field selection) makes the rule not checked", () => {
  const c = compile("self.?spec.orValue(1) == 1");
  expect(c.ok).toBe(false);
  if (!c.ok) expect(c.reason).toMatch(/^the engine cannot parse it: /);
});
