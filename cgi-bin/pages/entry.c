/*
 * entry.c - the invitation-code entry form (entry.h).
 */
#include "entry.h"
#include "html.h"

void h_code_entry(struct req *r, const char *typed)
{
	h_raw(r, "<form method=\"get\" action=\"/register\" class=\"code-entry\">"
	      "<p><label for=\"code\">邀请码（邀请单上的 16 位字母和数字）</label>");
	h_printf(r, "<input id=\"code\" name=\"code\" maxlength=\"64\" autocomplete=\"off\""
	         " autocapitalize=\"characters\" spellcheck=\"false\" placeholder=\"XXXX-XXXX-XXXX-XXXX\""
	         " value=\"%s\" required></p>", typed ? typed : "");
	h_raw(r, "<p><button type=\"submit\">下一步</button></p></form>");
}
