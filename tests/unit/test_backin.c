/*
 * test_backin.c - getting back in (issue 9): generated passwords typed
 * forgivingly, who may reset whose password, the per-account slow-down of
 * wrong passwords.
 */
#include "auth.h"
#include "symcode.h"
#include "tap.h"

#include <sodium.h>
#include <string.h>

static void test_generated_passwords(void)
{
	char pw[PW_GENERATED_MAX], h[PW_HASH_MAX], n[CODE_LEN + 1];
	int rehash;
	ok(password_generate(pw) == 0, "a password is generated");
	is_int((long long)strlen(pw), CODE_GROUPED, "XXXX-XXXX-XXXX-XXXX");
	ok(code_normalise(pw, n) == 0, "of the code alphabet");
	ok(password_hash(pw, h) == 0, "hashed");
	ok(password_verify_typed(pw, h, &rehash), "typed as shown");
	char sloppy[64];
	size_t k = 0;
	for (const char *p = pw; *p; p++)
		if (*p != '-')
			sloppy[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	sloppy[k] = '\0';
	ok(password_verify_typed(sloppy, h, &rehash), "lower case without dashes");
	char spaced[64];
	snprintf(spaced, sizeof spaced, " %.4s %.4s %.4s %.4s ", pw, pw + 5, pw + 10, pw + 15);
	ok(password_verify_typed(spaced, h, &rehash), "with spaces between the groups");
	char wrong[PW_GENERATED_MAX];
	memcpy(wrong, pw, sizeof wrong);
	wrong[0] = wrong[0] == '2' ? '3' : '2';
	ok(!password_verify_typed(wrong, h, &rehash), "another symbol is another password");

	/* A chosen password is compared exactly. */
	ok(password_hash("Chosen-Password-2013", h) == 0, "chosen password hashed");
	ok(password_verify_typed("Chosen-Password-2013", h, &rehash), "chosen password as typed");
	ok(!password_verify_typed("chosen-password-2013", h, &rehash), "case matters for a chosen password");
	ok(!password_verify_typed("ChosenPassword2013", h, &rehash), "dashes matter for a chosen password");
	/* A chosen password that looks generated is still only itself and its
	 * normalised spelling. */
	ok(password_hash("ABCD-EFGH-JKLM-NPQR", h) == 0, "generated-shape password hashed");
	ok(password_verify_typed("abcdefghjklmnpqr", h, &rehash), "generated shape: forgiving");
}

static void test_reset_allowed(void)
{
	struct user admin = { .id = 1, .role = ROLE_ADMIN }, viewer = { .id = 2, .role = ROLE_VIEWER },
	            bj = { .id = 3, .role = ROLE_REGION, .region_code = "110000" },
	            sme = { .id = 4, .role = ROLE_SME, .region_code = "110000" };
	ok(password_reset_allowed(&admin, ROLE_SME, "440000"), "the ministry: any region's SME");
	ok(password_reset_allowed(&admin, ROLE_REGION, "110000"), "the ministry: a region account");
	ok(password_reset_allowed(&admin, ROLE_ADMIN, ""), "the ministry: another admin");
	ok(!password_reset_allowed(&viewer, ROLE_SME, "110000"), "the read-only viewer: nobody");
	ok(password_reset_allowed(&bj, ROLE_SME, "110000"), "a region: its own SME");
	ok(password_reset_allowed(&bj, ROLE_HUB, "110000"), "a region: its own hub");
	ok(password_reset_allowed(&bj, ROLE_WINDOW, "110000"), "a region: its own window");
	ok(password_reset_allowed(&bj, ROLE_RESOURCE, "110000"), "a region: its own resource unit");
	ok(!password_reset_allowed(&bj, ROLE_SME, "310000"), "a region: not another region's SME");
	ok(!password_reset_allowed(&bj, ROLE_REGION, "110000"), "a region: not a region account");
	ok(!password_reset_allowed(&bj, ROLE_ADMIN, ""), "a region: not the ministry");
	ok(!password_reset_allowed(&bj, ROLE_SME, ""), "a region: not an account without region");
	ok(!password_reset_allowed(&sme, ROLE_SME, "110000"), "a respondent: nobody");
	ok(!password_reset_allowed(NULL, ROLE_SME, "110000"), "anonymous: nobody");
}

static void test_slowdown(void)
{
	is_int(login_delay_ms(0, 1000), 0, "no failures: no delay");
	is_int(login_delay_ms(20, 1000), 0, "20 failures: no delay yet");
	is_int(login_delay_ms(21, 1000), 10, "then 10 ms per failure");
	is_int(login_delay_ms(70, 1000), 500, "50 more: half a second");
	is_int(login_delay_ms(5000, 1000), 1000, "at most the configured maximum");
	is_int(login_delay_ms(5000, 0), 0, "0 turns the slow-down off");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_generated_passwords();
	test_reset_allowed();
	test_slowdown();
	return done_testing();
}
