"""Attachments on their way in (from a form, the API or a door): checked against the size
limit, the allowed types and their content (``pintu.desk.filetypes``), then stored as
files of an article."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from pintu.desk.filetypes import sniff
from pintu.desk.models import Article, Attachment


@dataclass(frozen=True)
class Upload:
    """An attachment on its way in, from a form, the API or a door."""

    name: str
    content_type: str
    data: bytes


def article_attach(article: Article, uploads: Sequence[Upload]) -> None:
    """Store uploads as the article's attachments (checked against the allow-list)."""
    for upload in uploads:
        upload = validate_upload(upload)
        attachment = Attachment(
            article=article,
            filename=upload.name,
            content_type=upload.content_type,
            size=len(upload.data),
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        attachment.save()


def validate_upload(upload: Upload) -> Upload:
    """Size limit and type allow-list (settings PINTU_ATTACHMENT_MAX_BYTES/_TYPES), and
    the content must be what the name says; returns the upload with the content type its
    content shows (the sender's claim is not trusted)."""
    limit = settings.PINTU_ATTACHMENT_MAX_BYTES
    if len(upload.data) > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": limit // (1024 * 1024)}
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in settings.PINTU_ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("%(name)s: files of this type are not accepted (allowed: %(allowed)s).")
            % {"name": upload.name, "allowed": ", ".join(settings.PINTU_ATTACHMENT_EXTENSIONS)}
        )
    sniffed = sniff(extension, upload.data)
    if sniffed.problem == "program":
        raise ValidationError(
            _("%(name)s is a program, not a document: programs are not accepted.")
            % {"name": upload.name}
        )
    if sniffed.problem == "not text":
        raise ValidationError(
            _("%(name)s is not a text file, as its name says.") % {"name": upload.name}
        )
    if sniffed.problem == "mismatch":
        raise ValidationError(
            _("%(name)s is not the kind of file its name says (.%(extension)s).")
            % {"name": upload.name, "extension": extension}
        )
    return replace(upload, content_type=sniffed.mime) if sniffed.mime else upload


def uploads_from_files(files: Iterable[UploadedFile]) -> list[Upload]:
    """The uploads of a form's files, each read from its start: a step panel binds the
    same posted files to a module's form twice (the view checks it, the service acts)."""
    uploads = []
    for f in files:
        f.seek(0)
        uploads.append(
            Upload(
                name=f.name or "file",
                content_type=f.content_type or "application/octet-stream",
                data=f.read(),
            )
        )
    return uploads
