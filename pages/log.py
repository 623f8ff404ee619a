"""Log a session page."""

import streamlit as st

from pages.common import not_a_diagnosis

st.title("Log a session")
st.info("This page is coming soon.", icon="🚧")
not_a_diagnosis()
