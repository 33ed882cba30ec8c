import { passwordHasher, signIn, type SignInResult } from "~/domains/accounts/auth.server";
import { ACCOUNT_FAILURES, IP_ATTEMPTS, PAIR_FAILURES } from "~/utils/rate-limit.server";

import { createTestUser, TEST_PASSWORD } from "../utils/accounts";

// Each attempt is counted before its password is checked, so a burst in parallel gets no more
// argon2 checks than the limits allow; and one address failing on purpose cannot lock the
// account's owner out of another address.

let addressCounter = 0;
/** an address no other test has used (198.18.0.0/15 is for benchmarks) */
const freshAddress = () => {
  addressCounter++;
  return `198.18.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
};

const attempt = (username: string, password: string, clientIp: string) =>
  signIn({ username, password, clientIp, request: new Request("http://localhost/login", { method: "POST" }) });

const count = (results: SignInResult[]) => ({
  invalid: results.filter((r) => !r.ok && r.reason === "invalid").length,
  limited: results.filter((r) => !r.ok && r.reason === "rate_limited").length,
  ok: results.filter((r) => r.ok).length,
});

const spyOnChecks = () => vi.spyOn(passwordHasher, "verify");
let checks: ReturnType<typeof spyOnChecks>;
beforeEach(() => {
  checks = spyOnChecks();
});
afterEach(() => {
  checks.mockRestore();
});

describe("sign-in limits under concurrency", () => {
  it(`30 wrong passwords at once for one account from one address get at most ${PAIR_FAILURES} checks`, async () => {
    const user = await createTestUser();
    const address = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => attempt(user.username, "wrong password", address)),
    );
    expect(checks.mock.calls.length).toBeLessThanOrEqual(PAIR_FAILURES);
    expect(count(results)).toEqual({ invalid: PAIR_FAILURES, limited: 30 - PAIR_FAILURES, ok: 0 });
    // and the right password from there waits too
    expect(await attempt(user.username, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: "rate_limited" });
  });

  it(`100 sign-ins at once from one address get at most ${IP_ATTEMPTS} checks, whatever the accounts`, async () => {
    const address = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attempt(`nobody-${address}-${i}`, "wrong password", address)),
    );
    expect(checks.mock.calls.length).toBeLessThanOrEqual(IP_ATTEMPTS);
    expect(count(results)).toEqual({ invalid: IP_ATTEMPTS, limited: 100 - IP_ATTEMPTS, ok: 0 });
  });

  it(`100 wrong passwords at once for one account from 100 addresses get at most ${ACCOUNT_FAILURES} checks`, async () => {
    const user = await createTestUser();
    const results = await Promise.all(
      Array.from({ length: 100 }, () => attempt(user.username, "wrong password", freshAddress())),
    );
    expect(checks.mock.calls.length).toBeLessThanOrEqual(ACCOUNT_FAILURES);
    expect(count(results)).toEqual({ invalid: ACCOUNT_FAILURES, limited: 100 - ACCOUNT_FAILURES, ok: 0 });
    // now locked everywhere, even for the owner at a new address
    expect(await attempt(user.username, TEST_PASSWORD, freshAddress())).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
  });
});

describe("locking the owner out on purpose", () => {
  it(`${PAIR_FAILURES} failures from one address lock that address out of the account, not its owner elsewhere`, async () => {
    const user = await createTestUser();
    const attacker = freshAddress();
    for (let i = 0; i < PAIR_FAILURES; i++)
      expect(await attempt(user.username, "guess", attacker)).toMatchObject({ reason: "invalid" });
    const more = await Promise.all(Array.from({ length: 20 }, () => attempt(user.username, "guess", attacker)));
    expect(count(more).limited).toBe(20);
    expect((await attempt(user.username, TEST_PASSWORD, freshAddress())).ok).toBe(true);
  });

  it("a locked address adds nothing to the account's total: nine addresses locked out do not lock the owner", async () => {
    const user = await createTestUser();
    // 9 addresses × 25 posts = 225 failures sent, 45 of them checked: below the account's 50
    for (let a = 0; a < 9; a++) {
      const address = freshAddress();
      await Promise.all(Array.from({ length: 25 }, () => attempt(user.username, "guess", address)));
    }
    expect(checks.mock.calls.length).toBe(9 * PAIR_FAILURES);
    expect((await attempt(user.username, TEST_PASSWORD, freshAddress())).ok).toBe(true);
  });

  it("a success resets the pair's failures and gives back the account's", async () => {
    const user = await createTestUser();
    const address = freshAddress();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < PAIR_FAILURES - 1; i++)
        expect(await attempt(user.username, "typo", address)).toMatchObject({ reason: "invalid" });
      expect((await attempt(user.username, TEST_PASSWORD, address)).ok).toBe(true);
    }
  });

  it("the limits are per account whatever the case of the username", async () => {
    const user = await createTestUser();
    const address = freshAddress();
    for (let i = 0; i < PAIR_FAILURES; i++)
      await attempt(i % 2 ? user.username.toUpperCase() : user.username, "guess", address);
    expect(await attempt(user.username, TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: "rate_limited" });
  });
});
