"""The e-mails the service writes: a ticket received, a librarian's reply, a transcript.

Each has a text part and an HTML part of the same words. Every patron or librarian string in
the HTML is escaped (html.escape): the mail is rendered by the patron's mail program, which is
no safer a place for markup than our own pages. Internal notes and close-form records never
reach a mail: the callers pass only the entries patrons may see.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone

from .ticket_model import Mail

FOOTER = "You are getting this because you asked a question of {library}. Reply from the link above; this address is not read."


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _who(entry: dict) -> str:
    sender = entry.get("sender") or {}
    if sender.get("role") == "patron":
        return sender.get("name") or "You"
    if sender.get("role") == "system":
        return "Library chat"
    return sender.get("name") or "Librarian"


def _line(entry: dict) -> str:
    text = entry.get("text") or ""
    if entry.get("attachment"):
        text = (text + " " if text else "") + f"[file: {entry['attachment'].get('name', 'attachment')}]"
    return text


def _thread_text(entries: list[dict]) -> str:
    return "\n\n".join(f"{_who(e)} ({_when(e['at'])}):\n{_line(e)}" for e in entries)


def _thread_html(entries: list[dict]) -> str:
    rows = "".join(
        f"<p><strong>{html.escape(_who(e))}</strong> <small>({html.escape(_when(e['at']))})</small><br>"
        f"{html.escape(_line(e)).replace(chr(10), '<br>')}</p>" for e in entries)
    return f'<div class="thread">{rows}</div>'


def _page(title: str, body: str, link: str | None, footer: str) -> str:
    button = (f'<p><a href="{html.escape(link, quote=True)}">Open your question and reply</a></p>'
              if link else "")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1>{body}{button}"
            f"<p><small>{html.escape(footer)}</small></p></body></html>")


def ticket_received(to: str, question: str, link: str, library: str) -> Mail:
    subject = f"We have your question: {library}"
    text = (f"Thank you. A librarian will answer your question by e-mail.\n\nYour question:\n"
            f"{question}\n\nFollow it and reply here: {link}\n\n{FOOTER.format(library=library)}")
    body = (f"<p>Thank you. A librarian will answer your question by e-mail.</p><p>Your question:</p>"
            f"<blockquote>{html.escape(question)}</blockquote>")
    return Mail(to, subject, text, _page(subject, body, link, FOOTER.format(library=library)))


def ticket_reply(to: str, librarian: str, reply: str, question: str, link: str, library: str) -> Mail:
    subject = f"An answer to your question: {library}"
    text = (f"{librarian} answered:\n\n{reply}\n\nYour question was:\n{question}\n\n"
            f"Read the whole thread and reply: {link}\n\n{FOOTER.format(library=library)}")
    body = (f"<p>{html.escape(librarian)} answered:</p><blockquote>"
            f"{html.escape(reply).replace(chr(10), '<br>')}</blockquote>"
            f"<p>Your question was:</p><blockquote>{html.escape(question)}</blockquote>")
    return Mail(to, subject, text, _page(subject, body, link, FOOTER.format(library=library)))


def transcript(to: str, title: str, entries: list[dict], library: str, link: str | None = None) -> Mail:
    """The conversation as the patron saw it; `entries` in the ticket's entry shape."""
    subject = f"Transcript: {title}"
    footer = f"Sent by {library} at your request. The address it was sent to is not kept."
    text = f"{title}\n\n{_thread_text(entries)}\n\n" + (f"{link}\n\n" if link else "") + footer
    return Mail(to, subject, text, _page(subject, _thread_html(entries), link, footer))


def message_entries(messages) -> list[dict]:
    """A chat's messages (domain Message) in the entry shape of tickets and transcripts."""
    out = []
    for m in messages:
        sender = {"role": m.sender_role}
        if m.sender_name:
            sender["name"] = m.sender_name
        entry = {"n": len(out) + 1, "kind": "chat", "text": m.text or "", "at": m.sent_at, "sender": sender}
        if m.attachment:
            entry["attachment"] = {"name": m.attachment.get("name", "attachment")}
        out.append(entry)
    return out
