"""Progress page."""

import streamlit as st

from pages.common import not_a_diagnosis

st.title("Progress")
st.info("This page is coming soon.", icon="🚧")
not_a_diagnosis()
