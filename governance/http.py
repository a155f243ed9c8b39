"""What every app's views answer with the same way: a refusal shown as a message or on the form
that was refused, and a private file (a letter, evidence, an export, a download of one's data)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse


def refuse(request, error: ValidationError) -> None:
    """Show each message of a service's refusal at the top of the next page."""
    for message in error.messages:
        messages.error(request, message)


def refuse_on_form(form, error: ValidationError, *, by_code: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form that is shown again (with what the user typed): on the
    field it names where the form has that field (or the field ``by_code`` maps its error code to),
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    for item in error.error_list:
        field = (by_code or {}).get(item.code)
        form.add_error(field if field in form.fields else None, item)


def _private(response: HttpResponse) -> HttpResponse:
    # Never cached on the way, never sniffed into something executable, and a file opened in the
    # browser runs nothing.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def private_file(field, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """A stored file (a ``FieldFile``) to the one person allowed to read it; 404 if it is gone."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    return _private(FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename))


def private_download(content: bytes, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """Bytes made for this request (an export, a PDF, a ZIP of one's data) as a private download."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _private(response)
