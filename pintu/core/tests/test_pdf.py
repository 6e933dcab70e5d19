"""Every PDF is written from its own HTML only: an image named by data is never read."""

from __future__ import annotations

import base64
from pathlib import Path

from pintu.core.pdf import html_pdf
from pintu.desk.tests.files import PNG


def test_an_inline_image_is_drawn_and_a_local_file_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    inline = f"data:image/png;base64,{base64.b64encode(PNG).decode()}"
    assert b"/Subtype /Image" in html_pdf(f'<p>Pintu</p><img src="{inline}">')
    pdf = html_pdf(f'<p>Pintu</p><img src="file://{secret}"><img src="{secret}">')
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf
