"""The local mailbox page: every e-mail the service sent through the embedded SES, as the
patron would get it (DESIGN.md: "locally moto receives it and the local runner shows what was
sent on a local mailbox page").

`/mailbox/` lists the messages, newest first; `/mailbox/<n>` shows one: its headers, the text
part, the HTML part in a sandboxed frame (no scripts, no navigation from inside), and the links
it holds as plain links, so a person trying `make run` can follow a ticket's link. moto runs in
this process, so the page reads its SES backend directly; nothing here exists on AWS.
"""
from __future__ import annotations

import email
import html
import re
from email import policy
from email.utils import parseaddr

LINK = re.compile(r"https?://[^\s<>\"']+")
STYLE = ("body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.4rem;"
         "text-align:left}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}"
         "iframe{width:100%;height:24rem;border:1px solid #999}a{color:#0645ad}")


def messages(region: str = "us-east-1", account: str = "123456789012") -> list[dict]:
    from moto.ses.models import ses_backends
    out = []
    for m in ses_backends[account][region].sent_messages:
        raw = getattr(m, "raw_data", None)
        if raw is None:
            continue
        msg = email.message_from_string(raw, policy=policy.default)
        text = msg.get_body(("plain",))
        rich = msg.get_body(("html",))
        out.append({"id": m.id, "from": str(msg["from"] or m.source),
                    "to": ", ".join(sorted({parseaddr(d)[1] for d in m.destinations})),
                    "subject": str(msg["subject"] or "(no subject)"), "date": str(msg["date"] or ""),
                    "text": text.get_content() if text else "", "html": rich.get_content() if rich else ""})
    return out


def _page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>").encode()


def render(path: str) -> tuple[int, bytes]:
    """(status, HTML) for a path under /mailbox/."""
    found = messages()
    rest = path[len("/mailbox"):].strip("/")
    if not rest:
        rows = "".join(
            f"<tr><td><a href=\"/mailbox/{n}\">{html.escape(m['subject'])}</a></td>"
            f"<td>{html.escape(m['to'])}</td><td>{html.escape(m['date'])}</td></tr>"
            for n, m in reversed(list(enumerate(found, 1))))
        table = (f"<table><caption>{len(found)} message(s), newest first</caption><thead><tr>"
                 f"<th scope=\"col\">Subject</th><th scope=\"col\">To</th><th scope=\"col\">Sent</th>"
                 f"</tr></thead><tbody>{rows}</tbody></table>") if found else "<p>No e-mail has been sent yet.</p>"
        return 200, _page("Local mailbox", "<h1>Local mailbox</h1><p>What the service sent through "
                          "the embedded SES (nothing leaves this machine).</p>" + table)
    if not rest.isdigit() or not 1 <= int(rest) <= len(found):
        return 404, _page("Not found", "<h1>No such message</h1><p><a href=\"/mailbox/\">All messages</a></p>")
    m = found[int(rest) - 1]
    links = sorted(set(LINK.findall(m["text"])))
    link_list = "".join(f"<li><a href=\"{html.escape(u, quote=True)}\">{html.escape(u)}</a></li>" for u in links)
    body = (f"<p><a href=\"/mailbox/\">All messages</a></p><h1>{html.escape(m['subject'])}</h1>"
            f"<dl><dt>From</dt><dd>{html.escape(m['from'])}</dd><dt>To</dt><dd>{html.escape(m['to'])}</dd>"
            f"<dt>Sent</dt><dd>{html.escape(m['date'])}</dd></dl>"
            + (f"<h2>Links in this message</h2><ul>{link_list}</ul>" if links else "")
            + f"<h2>Text part</h2><pre>{html.escape(m['text'])}</pre>"
            f"<h2>HTML part</h2><iframe title=\"The HTML part as a mail program shows it\" sandbox "
            f"srcdoc=\"{html.escape(m['html'], quote=True)}\"></iframe>")
    return 200, _page(m["subject"], body)
