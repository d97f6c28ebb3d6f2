/*
 * msg.h - what more than one page says to people, once each. A sentence
 * that two places need goes here (tests/build/40-once.t finds repeats);
 * a sentence only one place says stays beside its code.
 */
#ifndef SME_MSG_H
#define SME_MSG_H

#define MSG_BUSY           "系统繁忙，请稍后再试。"
#define MSG_ACTION_FAILED  "操作失败，请稍后再试。"
#define MSG_STALE_PAGE     "页面已过期或请求来源无效，请刷新后重试。"
#define MSG_FORBIDDEN      "您的账户无权访问此页面。"
#define MSG_BAD_ACTION     "无效的操作。"
#define MSG_NO_UNIT        "没有找到该单位。"
#define MSG_NO_ACCOUNT     "没有这个账户。"
#define MSG_NO_SAMPLE_KIND "该地区没有这类样本。"

#define MSG_NOT_FOUND          "您访问的页面不存在。"
#define MSG_BAD_BODY           "提交的数据格式不正确，请返回重试。"
#define MSG_INCOMPLETE         "请求不完整。"
#define MSG_STALE_SOURCE       "页面已过期或来源无效，请刷新页面后重试。"
#define MSG_STALE_LOGIN        "页面已过期或请求来源无效，请重新登录。"
#define MSG_LOGIN_EMPTY        "请输入用户名和密码。"
#define MSG_LOGIN_WRONG        "用户名或密码不正确。"
#define MSG_NO_REGION          "没有这个地区。"
#define MSG_NO_RESPONSE        "没有这份答卷。"
#define MSG_NO_FILE            "文件不存在。"
#define MSG_NO_UPLOAD          "没有找到上传的文件。"
#define MSG_FILE_UNREADABLE    "文件无法读取。"
#define MSG_CHOOSE_FORM        "请选择问卷。"
#define MSG_NOTE_TOO_LONG      "备注过长（最多 500 字）。"
#define MSG_FOLLOWUP_FAILED    "跟进记录未能保存，请稍后再试。"
#define MSG_UNIT_NOT_PRINTABLE "没有找到该单位，或该单位已注册、不在本地区的抽中名单中。"
#define MSG_UNIT_NOT_REVOCABLE "没有找到该单位，或该单位尚未打印邀请单、已注册、不在本地区的抽中名单中。"
#define MSG_REGISTER_FAILED    "注册未能完成，请稍后再试。"
#define MSG_REGISTER_NO_LOGIN  "注册成功，但自动登录失败，请使用用户名和密码登录。"
#define MSG_AUTOSAVE_FAILED    "系统繁忙，自动保存未成功，请稍后点“保存草稿”。"
#define MSG_PROXY_CHOOSE_UNIT  "请先选择代为录入的单位。"
#define MSG_ACCOUNT_FAILED     "账户未能建立，请稍后再试。"
#define MSG_PROXY_NOT_ALLOWED  "无权为该账户代为录入。"
#define MSG_PROXY_NO_UNIT      "没有找到该单位（只能为本地区样本中的单位录入）。"
#define MSG_NO_ACCOUNTS_MATCH  "没有符合条件的账户。"

#endif
