"""``closeapp-lint publish-request`` (SPEC §10): what a person pastes into Close to make
an app public, and the e-mail that asks Close to list it in the Integrations Directory.

Close has no API for OAuth apps, so this is a packet for a person: each value exactly as
Close's form labels it, in the form's order, the steps to submit the app for review, and
— when the manifest has a ``listing`` — a draft to support@close.com. Pure functions of
a manifest that is public and ready: the command refuses anything else before calling
them, so no value here can be a credential (CA411 would have failed the checklist).

Every value that goes into a mail header is made one line first: a name or a summary
holding CR, LF or NUL can neither add a header nor break one.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import default
from urllib.parse import quote

from ..core.document import Document
from ..core.escape import md_fence, md_inline, safe
from ..core.manifest import FORM, PRODUCT, WHERE_IN_CLOSE, text_at
from ..core.model import FileReport
from ..core.records import NamedTuple
from ..reporters.text import Painter, item_line, unreadable_reason

SUPPORT = "support@close.com"  # where Close asks for Integrations Directory listings
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\]+")


class Email(NamedTuple):
    to: str
    subject: str
    reply_to: str | None
    body: str


class Packet(NamedTuple):
    name: str
    client_id: str | None
    fields: tuple[tuple[str, str], ...]  # (Close's label, the value), in the form's order
    steps: tuple[str, ...]
    email: Email | None


def one_line(text: str) -> str:
    """``text`` fit for a mail header or a single line: controls, line breaks and NUL
    become single spaces."""
    return " ".join(_CONTROLS.sub(" ", text).split())


def packet(doc: Document) -> Packet:
    """The Make Public packet of a public, ready manifest (and its listing e-mail)."""
    name = one_line(text_at(doc, "/name") or "")
    client_id = text_at(doc, "/client_id")
    fields = tuple((label, value) for label, pointer in FORM if (value := text_at(doc, pointer)) is not None)
    where = f" (Client ID {client_id})" if client_id else ""
    steps = (
        f"In Close, open {WHERE_IN_CLOSE} and select {name}{where}.",
        "Make each field match the values above, exactly, and save.",
        "Click Make Public and submit the app for Close's review.",
    )
    return Packet(name, client_id, fields, steps, _email(doc, name, client_id) if isinstance(doc.data.get("listing"), dict) else None)


def _email(doc: Document, name: str, client_id: str | None) -> Email:
    description = " ".join((text_at(doc, "/description") or "").split())
    summary = " ".join((text_at(doc, "/listing/summary") or "").split())
    contact = one_line(text_at(doc, "/listing/contact_email") or "")
    body = "\n".join(
        [
            "Hello Close team,",
            "",
            f"please list our integration {name} in the Close Integrations Directory.",
            "",
            f"Name: {name}",
            f"Description: {description}",
            f"Product: {one_line(text_at(doc, PRODUCT) or '')}",
            f"What it does with Close: {summary}",
            f"Client ID: {client_id or ''}",
            "",
            "Thank you!",
            "",
        ]
    )
    return Email(SUPPORT, one_line(f"Integrations Directory listing: {name}"), contact if _plain_address(contact) else None, _CONTROLS.sub(_keep_newline, body))


def _plain_address(text: str) -> bool:
    """Whether ``text`` is one plain address fit for Reply-To: the shape of one, and
    nothing mail software would decode into something else (an RFC 2047 encoded word,
    ``=?utf-8?q?x=40evil=2Ecom=2Cy?=@…``, decodes to more recipients)."""
    return bool(_ADDRESS.fullmatch(text)) and ENCODED_WORD not in text and text.isprintable()


ENCODED_WORD = "=?"  # how an RFC 2047 encoded word starts: mail software decodes it in a header


def header_problem(email: Email) -> str | None:
    """Why the e-mail cannot be drafted safely (one line), or None. Python's ``email`` and
    mail clients decode RFC 2047 encoded words inside header values: a name holding one
    could add a header (a Bcc) once decoded, so a draft is never built from it."""
    if ENCODED_WORD in email.subject:
        return "the app's name holds '=?', which mail software decodes as an encoded word (RFC 2047) in the Subject; rename the app, or paste the text packet (--format text) into a message of your own"
    return None


class DraftError(ValueError):
    """The draft, parsed back, does not have exactly the headers it was built with."""


def masked(p: Packet, texts: tuple[str, ...]) -> Packet:
    """The packet with every credential of the app masked — of the manifest and of every
    base of its chain (``texts``) — before any format serialises it (SPEC §11.1: one
    masker per app). A ready app holds none; this is the promise kept even so."""
    from ..text.credentials import Masker, find_in_text

    secrets = [s for text in texts for s in find_in_text(text)]
    if not secrets:
        return p
    mask = Masker(secrets)
    email = p.email._replace(subject=mask(p.email.subject), body=mask(p.email.body)) if p.email is not None else None
    fields = tuple((label, mask(value)) for label, value in p.fields)
    return p._replace(name=mask(p.name), fields=fields, steps=tuple(mask(step) for step in p.steps), email=email)


def _keep_newline(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n") or " "


def text(p: Packet) -> str:
    width = max(len(label) for label, _ in p.fields)
    lines = [f"Make Public packet for {p.name}", ""]
    lines += [f"{label.ljust(width)}  {safe(' '.join(value.split()))}" for label, value in p.fields]
    lines += ["", "Steps:"] + [f"  {n}. {step}" for n, step in enumerate(p.steps, start=1)]
    if p.email is not None:
        lines += ["", "Integrations Directory e-mail (closeapp-lint publish-request --format eml writes a draft):", ""]
        lines += [f"To: {p.email.to}", f"Subject: {p.email.subject}"] + ([f"Reply-To: {p.email.reply_to}"] if p.email.reply_to else [])
        lines += ["", *p.email.body.rstrip("\n").split("\n")]
    return "\n".join(safe(line) for line in lines) + "\n"


def markdown(p: Packet) -> str:
    """For a pull request: each value in a code block, ready to copy."""
    lines = [f"## Make Public: {md_inline(p.name)}", ""]
    for label, value in p.fields:
        lines += [f"**{label}**", "", *md_fence(value.strip("\n")), ""]
    lines += ["### Steps", ""] + [f"{n}. {md_inline(step)}" for n, step in enumerate(p.steps, start=1)] + [""]
    if p.email is not None:
        lines += ["### Integrations Directory e-mail", "", f"To: {p.email.to}  ", f"Subject: {md_inline(p.email.subject)}  "]
        lines += [f"Reply-To: {md_inline(p.email.reply_to)}  "] if p.email.reply_to else []
        lines += ["", *md_fence(p.email.body.rstrip("\n")), ""]
    return "\n".join(lines)


def mailto(email: Email) -> str:
    """An RFC 6068 ``mailto:`` URL: every character outside the unreserved set is
    percent-encoded as UTF-8, line breaks as CRLF (%0D%0A). Mail clients take only
    subject, cc and body from a mailto link (a Reply-To header is dropped), so the listing's
    contact address goes where a mailto can carry it: in ``cc`` (Close's reply-all reaches
    it) and as the body's first line (a reader who replies to the sender still sees it)."""
    body = email.body
    if email.reply_to:
        body = f"Please reply to {email.reply_to}.\n\n{body}"
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    fields = [("subject", email.subject), *([("cc", email.reply_to)] if email.reply_to else []), ("body", body)]
    return f"mailto:{quote(email.to, safe='@')}?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in fields) + "\n"


def eml(email: Email) -> bytes:
    """An RFC 5322 draft (``X-Unsent: 1``: mail clients open it to edit and send)."""
    # RFC 5322 allows 998 characters a line: a long subject stays on its line instead of
    # being folded right after "Subject:" (which some readers show with a leading space).
    try:
        message = EmailMessage(policy=default.clone(max_line_length=998, linesep="\r\n"))  # RFC 5322: CRLF
        message["To"] = email.to
        message["Subject"] = email.subject
        if email.reply_to:
            message["Reply-To"] = email.reply_to
        message["X-Unsent"] = "1"
        message.set_content(email.body)
        data = message.as_bytes()
    except Exception as exc:  # noqa: BLE001 - the email package's own refusal of a value, as one line
        raise DraftError(f"the e-mail draft cannot be written ({type(exc).__name__}); paste the text packet (--format text) instead") from None
    _same_headers(data, email)
    return data


def _same_headers(data: bytes, email: Email) -> None:
    """Parse the draft back: exactly its headers, each with the value it was given."""
    from email import message_from_bytes

    back = message_from_bytes(data, policy=default)
    wanted = {"to": email.to, "subject": email.subject, "x-unsent": "1", **({"reply-to": email.reply_to} if email.reply_to else {})}
    mime = {"content-type", "content-transfer-encoding", "mime-version"}
    names = [k.lower() for k in back]
    if sorted(n for n in names if n not in mime) != sorted(wanted) or any(str(back[k]) != v for k, v in wanted.items()):
        raise DraftError("the e-mail draft does not read back with the headers it was written with; paste the text packet (--format text) instead")


def refusal(report: FileReport, doc: Document | None) -> str | None:
    """Why a manifest gets no packet (one line, then its failing checklist items, as the
    checklist prints them), or None when it gets one."""
    name = safe(report.path)
    if report.readiness is None or doc is None:
        return f"closeapp-lint: {name}: no publication request: the manifest cannot be read ({safe(unreadable_reason(report))})"
    failed = [i for i in report.readiness.items if i.status == "fail"]
    width = max((len(i.id) for i in failed), default=0)
    failing = [item_line(i, width, Painter(False)) for i in failed]  # as the checklist prints them
    if not report.public:
        head = f"closeapp-lint: {name}: no publication request: the app is private (visibility: public makes it a request for review)"
        return "\n".join([head, *failing])
    if not report.readiness.ready:
        return "\n".join([f"closeapp-lint: {name}: no publication request: not ready to publish", *failing])
    return None
