/*
 * html.c - escaped HTML output and the page frame shared by every program.
 */
#include "html.h"
#include "auth.h"
#include "conf.h"
#include "db.h"
#include "http.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void html_escape(struct buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':  rep = "&amp;"; break;
		case '<':  rep = "&lt;"; break;
		case '>':  rep = "&gt;"; break;
		case '"':  rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\0': rep = ""; break;   /* never emit NUL bytes */
		case '\xC0':
			/* C0 80, NUL's "modified UTF-8" spelling (how a posted NUL
			 * is kept to be refused at its field, forms/form.h), is no
			 * UTF-8: shown as U+FFFD where the NUL was. */
			if (i + 1 >= n || s[i + 1] != '\x80')
				continue;
			buf_put(b, s + start, i - start);
			buf_puts(b, "\xEF\xBF\xBD");
			start = ++i + 1;
			continue;
		default:   continue;
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_put(b, s + start, n - start);
}

void h_raw(struct req *r, const char *markup)
{
	buf_puts(&r->body, markup);
}

void h_text(struct req *r, const char *s)
{
	if (s)
		html_escape(&r->body, s, strlen(s));
}

void h_textn(struct req *r, const char *s, size_t n)
{
	html_escape(&r->body, s, n);
}

void h_printf(struct req *r, const char *fmt, ...)
{
	va_list ap;
	char num[32];
	va_start(ap, fmt);
	const char *lit = fmt;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		buf_put(&r->body, lit, (size_t)(p - lit));
		p++;
		int l = 0, z = 0, prec = 6;
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {   /* %.Nf: a chart's coordinates */
			prec = p[1] - '0';
			p += 2;
		}
		while (*p == 'l') { l++; p++; }
		if (*p == 'z') { z = 1; p++; }
		switch (*p) {
		case 'f':
			snprintf(num, sizeof num, "%.*f", prec, va_arg(ap, double));
			buf_puts(&r->body, num);
			break;
		case 's':
			h_text(r, va_arg(ap, const char *));
			break;
		case 'd':
			if (l == 0) snprintf(num, sizeof num, "%d", va_arg(ap, int));
			else if (l == 1) snprintf(num, sizeof num, "%ld", va_arg(ap, long));
			else snprintf(num, sizeof num, "%lld", va_arg(ap, long long));
			buf_puts(&r->body, num);
			break;
		case 'u':
			if (z) snprintf(num, sizeof num, "%zu", va_arg(ap, size_t));
			else if (l == 0) snprintf(num, sizeof num, "%u", va_arg(ap, unsigned));
			else if (l == 1) snprintf(num, sizeof num, "%lu", va_arg(ap, unsigned long));
			else snprintf(num, sizeof num, "%llu", va_arg(ap, unsigned long long));
			buf_puts(&r->body, num);
			break;
		case '%':
			buf_putc(&r->body, '%');
			break;
		default:
			/* Unknown conversion: stop rather than misread the arguments. */
			va_end(ap);
			return;
		}
		lit = p + 1;
	}
	buf_puts(&r->body, lit);
	va_end(ap);
}

void h_csrf_field(struct req *r)
{
	h_printf(r, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->csrf);
}

void h_alert(struct req *r, const char *msg)
{
	if (msg)
		h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>", msg);
}

void h_notice(struct req *r, const char *msg)
{
	if (msg)
		h_printf(r, "<p class=\"notice\" role=\"status\">%s</p>", msg);
}

void h_option(struct req *r, const char *value, const char *label, int selected)
{
	h_printf(r, "<option value=\"%s\"%s>%s</option>", value, selected ? " selected" : "", label);
}

void h_option_of(struct req *r, const char *value, const char *label, const char *current)
{
	h_option(r, value, label, current && !strcmp(current, value));
}

void h_table_begin(struct req *r, const char *cls, const char *caption,
                   const char *const cols[], size_t ncols)
{
	h_table_head(r, cls, caption, cols, ncols);
	h_raw(r, "<tbody>");
}

void h_table_head(struct req *r, const char *cls, const char *caption,
                  const char *const cols[], size_t ncols)
{
	h_raw(r, "<div class=\"table-wrap\"><table");
	if (cls)
		h_printf(r, " class=\"%s\"", cls);
	h_raw(r, ">");
	if (caption)
		h_printf(r, "<caption>%s</caption>", caption);
	h_raw(r, "<thead><tr>");
	for (size_t i = 0; i < ncols; i++)
		h_printf(r, "<th scope=\"col\">%s</th>", cols[i]);
	h_raw(r, "</tr></thead>");
}

void h_table_end(struct req *r)
{
	h_raw(r, "</tbody></table></div>");
}

void h_dbtable(struct req *r, const char *caption, const char *const cols[], size_t ncols,
               const struct dbrows *rows, const char *empty)
{
	h_table_begin(r, NULL, caption, cols, ncols);
	for (size_t i = 0; i < rows->nrows; i++) {
		h_raw(r, "<tr>");
		for (size_t c = 0; c < ncols; c++)
			h_printf(r, "<td>%s</td>", dbrows_get(rows, i, c));
		h_raw(r, "</tr>");
	}
	if (rows->nrows == 0 && empty)
		h_printf(r, "<tr><td colspan=\"%zu\">%s</td></tr>", ncols, empty);
	h_table_end(r);
}

void page_begin(struct req *r, const char *title)
{
	const char *site = r->conf ? r->conf->site_name : "";
	resp_header(r, "Content-Type", "text/html; charset=utf-8");
	h_printf(r, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	         "<title>%s - %s</title>"
	         "<link rel=\"stylesheet\" href=\"/static/style.css\"></head>\n<body>"
	         "<a class=\"skip\" href=\"#main\">跳到正文</a>"
	         "<header class=\"site\"><a class=\"brand\" href=\"/\">%s</a>", title, site, site);
	if (r->user) {
		h_raw(r, "<nav aria-label=\"主导航\"><ul>");
		for (size_t i = 0; i < r->nnav; i++)
			if (r->nav[i].roles & RB(r->user->role))
				h_printf(r, "<li><a href=\"%s\">%s</a></li>",
				         r->nav[i].href, r->nav[i].label);
		h_raw(r, "</ul></nav>");
		/* The username on every page (issue 23 item 8): respondents got it
		 * once, at registration, and need it at every later login. */
		h_printf(r, "<div class=\"who\"><span>%s（%s）</span> "
		         "<a class=\"who-user\" href=\"/account\" title=\"登录信息（可打印）\">用户名："
		         "<strong class=\"username\">%s</strong></a> "
		         "<a href=\"/password\">修改密码</a> "
		         "<form class=\"inline\" method=\"post\" action=\"/logout\">",
		         r->user->org_name[0] ? r->user->org_name : r->user->username,
		         role_label(r->user->role), r->user->username);
		h_csrf_field(r);
		h_raw(r, "<button type=\"submit\" class=\"link\">退出</button></form></div>");
	} else {
		h_raw(r, "<div class=\"who\"><a href=\"/login\">登录</a></div>");
	}
	h_printf(r, "</header>\n<main id=\"main\"><h1>%s</h1>\n", title);
}

void page_end(struct req *r)
{
	h_raw(r, "</main>\n<footer class=\"site\"><p>工业和信息化部中小企业司 · "
	      "评估机构：中国国际工程咨询公司</p></footer>\n</body></html>\n");
}

void page_error(struct req *r, int status, const char *message)
{
	buf_reset(&r->body);
	buf_reset(&r->headers);
	if (r->body_file) {
		fclose(r->body_file);
		r->body_file = NULL;
	}
	resp_status(r, status);
	page_begin(r, status == 404 ? "页面不存在" : status == 403 ? "无权访问" : "出错了");
	h_printf(r, "<p class=\"error\" role=\"alert\">%s</p>"
	         "<p><a href=\"/\">返回首页</a></p>", message);
	page_end(r);
}

void url_with_params(struct buf *b, const char *path, const char *const *keep)
{
	buf_puts(b, path);
	for (size_t i = 0; keep[i]; i += 2) {
		buf_printf(b, "%c%s=", i ? '&' : '?', keep[i]);
		url_encode(b, keep[i + 1] ? keep[i + 1] : "");
	}
}

void h_tel(struct req *r, const char *phone)
{
	char dial[64];
	size_t n = 0;
	/* The number to dial: digits and a leading +; an extension (转, ext)
	 * becomes a pause (","), which phones dial after the connection. */
	for (const char *p = phone; *p && n + 1 < sizeof dial; p++) {
		if ((*p >= '0' && *p <= '9') || (*p == '+' && n == 0))
			dial[n++] = *p;
		else if ((strncmp(p, "转", 3) == 0 || *p == ',') && n > 0 && dial[n - 1] != ',')
			dial[n++] = ',';
		else if (*p == '/' || *p == ';')
			break;   /* a second number: the first one is dialled */
	}
	dial[n] = '\0';
	if (n == 0) {
		h_text(r, phone);
		return;
	}
	h_printf(r, "<a class=\"tel\" href=\"tel:%s\">%s</a>", dial, phone);
}

void h_seek_pager(struct req *r, const char *label, const char *cls, const char *first_href,
                  const char *next_href)
{
	h_key_pager(r, label, cls, first_href, NULL, next_href);
}

void h_after_pager(struct req *r, const char *label, const char *cls, const char *base, int on_first,
                   const char *next_key)
{
	struct buf next = { 0 };
	if (next_key) {
		buf_printf(&next, "%s&after=", base);
		url_encode(&next, next_key);
	}
	h_seek_pager(r, label, cls, on_first ? NULL : base, next.data);
	buf_free(&next);
}

void h_search_field(struct req *r, const char *id, const char *label, const char *q, int maxlen,
                    const char *all_href)
{
	h_printf(r, "<label for=\"%s\">%s</label> <input id=\"%s\" type=\"search\" name=\"q\" value=\"%s\" "
	         "maxlength=\"%d\"> <button type=\"submit\">查找</button>", id, label, id, q, maxlen);
	if (*q && all_href)
		h_printf(r, " <a href=\"%s\">显示全部</a>", all_href);
}

void h_key_pager(struct req *r, const char *label, const char *cls, const char *first_href,
                 const char *prev_href, const char *next_href)
{
	if (!first_href && !prev_href && !next_href)
		return;
	h_printf(r, "<nav class=\"pager%s%s\" aria-label=\"%s\"><p>", *cls ? " " : "", cls, label);
	if (first_href)
		h_printf(r, "<a href=\"%s\" rel=\"first\">第一页</a> ", first_href);
	if (prev_href)
		h_printf(r, "<a href=\"%s\" rel=\"prev\">上一页</a> ", prev_href);
	if (next_href)
		h_printf(r, "<a href=\"%s\" rel=\"next\">下一页</a>", next_href);
	h_raw(r, "</p></nav>");
}
