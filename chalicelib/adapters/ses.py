"""Mailer on Amazon SES (API v2 `SendEmail`), the one path every e-mail takes (DESIGN.md).

The message is sent as raw MIME (multipart/alternative, a text and an HTML part) built with the
standard library: SES's "Simple" content would do the same on AWS, but moto keeps only one part
of a simple message, and the local mailbox page shows both as the patron gets them. A refusal
(a bad address, an unverified sender, throttling after botocore's retries) is MailFailed with
SES's reason, which the service records on the ticket for librarians to see.
"""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from botocore.exceptions import BotoCoreError, ClientError

from ..domain.ports import MailFailed
from ..domain.ticket_model import Mail


class SesMailer:
    def __init__(self, client, sender: str, sender_name: str = "",
                 configuration_set: str | None = None) -> None:
        self.client = client  # a callable (built on first use) or a client
        self.sender, self.sender_name = sender, sender_name
        self.configuration_set = configuration_set

    def mime(self, mail: Mail) -> bytes:
        msg = EmailMessage()
        msg["From"] = formataddr((self.sender_name, self.sender)) if self.sender_name else self.sender
        msg["To"] = mail.to
        msg["Subject"] = mail.subject
        msg["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        msg["Date"] = formatdate(usegmt=True)  # RFC 5322 wants it; mail programs sort by it
        msg.set_content(mail.text)
        msg.add_alternative(mail.html, subtype="html")
        return msg.as_bytes()

    def send(self, mail: Mail) -> str:
        client = self.client() if callable(self.client) else self.client
        kwargs = {"FromEmailAddress": self.sender, "Destination": {"ToAddresses": [mail.to]},
                  "Content": {"Raw": {"Data": self.mime(mail)}}}
        if self.configuration_set:
            kwargs["ConfigurationSetName"] = self.configuration_set
        try:
            return client.send_email(**kwargs)["MessageId"]
        except ClientError as err:
            error = err.response.get("Error", {})
            raise MailFailed(f"{error.get('Code', 'Error')}: {error.get('Message', '')}".strip()) from None
        except BotoCoreError as err:
            raise MailFailed(str(err)) from None
