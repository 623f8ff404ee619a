"""The My data page's phone section: the QR code of the link for a phone on the Wi-Fi.

Not a page. In phone mode (``make run-phone``, ``kneecore.launch``) the server is
given the network link, key included; this draws it as a QR code to scan, with what
phone mode exposes in plain words. Otherwise it says in a patient's words how to turn
phone mode on; the command itself comes second, for whoever installed the app.
"""

from __future__ import annotations

import io
import os

import segno
import streamlit as st

from kneecore.launch import PHONE_LINK_ENV

__all__ = ["phone_section"]


def qr_png(link: str) -> bytes:
    """The link as a QR code (PNG), dark on white with a quiet border for any camera."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def phone_section() -> None:
    st.header("Use it from your phone")
    link = os.environ.get(PHONE_LINK_ENV)
    if not link:
        st.write(
            "For now the app opens only on this computer. To log sessions from your phone "
            "on your home Wi-Fi, the app has to be started in its phone mode. If someone "
            "set Kneecare up for you, ask them to restart it that way. A code for your "
            "phone's camera then appears here."
        )
        # A second, small line for whoever installed the app: the command, kept whole.
        st.markdown(
            ":small[If you installed it yourself: stop the app (Ctrl+C in the window it "
            "runs in), then start it with `make run-phone`.]"
        )
        return
    st.write(
        "Scan this code with your phone's camera while the phone is on the same Wi-Fi "
        "as this computer. The code holds the app's key: anyone who scans it can see and "
        "change your data, so do not share it or show it around."
    )
    st.image(qr_png(link), caption="The link for your phone, with its key", width=240)
    st.warning(
        "Phone mode lets every device on this network reach the app's address; without "
        "the key they see only how to open it. Use it on your home Wi-Fi, not on public "
        "or work networks, and stop the app when you are done: the connection is not "
        "encrypted.",
        icon=":material/wifi:",
    )
