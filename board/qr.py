"""QR codes for join links, drawn on the server with segno (no internet at the venue)."""
import io

import segno


def qr_svg(url):
    """An SVG QR code of `url`, black on white, with a quiet zone, scalable by CSS."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, dark="#000", light="#fff",
                                    xmldecl=False, svgns=True, omitsize=True)
    return buffer.getvalue().decode("utf-8")
