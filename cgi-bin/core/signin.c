/*
 * signin.c - see signin.h.
 */
#include "signin.h"
#include "http.h"
#include "msg.h"
#include "paradata.h"

enum login_result signin(struct req *r, const char *username, const char *password)
{
	enum login_result res = auth_login(r, username, password);
	audit_login(r, username, res);
	if (res == LOGIN_OK)
		pd_record_signin(r, r->user->id);
	return res;
}

int signin_refusal(struct req *r, enum login_result res, const char **message)
{
	switch (res) {
	case LOGIN_BAD:
		*message = MSG_LOGIN_WRONG;
		return 401;
	case LOGIN_THROTTLED:
		/* Failures count for 15 minutes (the login_failures statements). */
		resp_header(r, "Retry-After", "900");
		*message = "本设备登录失败次数过多，请 15 分钟后再试。";
		return 429;
	case LOGIN_OK:
	case LOGIN_ERROR:
		break;
	}
	*message = MSG_BUSY;
	return 503;
}
