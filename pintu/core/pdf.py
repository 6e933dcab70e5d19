"""HTML written out as PDF (WeasyPrint), every document the same way: what it needs is
inline, and nothing else is fetched, neither an address nor a local file named by data
(a name typed into a form cannot make the PDF read /etc/passwd).

WeasyPrint is imported when a PDF is first written, not when a page that offers one is
loaded: it and what it brings (fontTools, Pillow, pydyf) are some 30 MB that a web
process that never writes a PDF does not carry."""

from __future__ import annotations


def html_pdf(html: str) -> bytes:
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    return bytes(weasyprint.HTML(string=html, base_url="data:,", url_fetcher=fetcher).write_pdf())
