"""Every page of the app, once: its file, address, title, icon and sidebar section.

The router (``app.py``) builds its navigation from this list, and the AppTest, browser
and bench code take their page lists from it, so a new page is added here and nowhere
else. No Streamlit import: tests and benches read it without starting an app.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ADDRESSES",
    "CLINIC_PATIENT_PAGES",
    "CLINIC_PHYSIO_PAGES",
    "CLINIC_SECTIONS",
    "NAMES",
    "PAGES",
    "SECTIONS",
    "PageEntry",
]


@dataclass(frozen=True)
class PageEntry:
    """One page: ``pages/<name>.py``, shown as ``title`` with a Material icon."""

    name: str
    title: str
    icon: str
    section: str

    @property
    def file(self) -> str:
        return f"pages/{self.name}.py"

    @property
    def address(self) -> str:
        """The URL path; Today is the default page, at the app's root ("")."""
        return "" if self.name == "home" else self.name


_YOU = "Kneecare"
_ABOUT = "About you and the app"

#: In sidebar order; the first is the default page.
PAGES: tuple[PageEntry, ...] = (
    PageEntry("home", "Today", ":material/home:", _YOU),
    PageEntry("self_check", "Self-check", ":material/checklist:", _YOU),
    PageEntry("plan", "Exercise plan", ":material/fitness_center:", _YOU),
    PageEntry("log", "Log a session", ":material/edit_note:", _YOU),
    PageEntry("runs", "Runs", ":material/directions_run:", _YOU),
    PageEntry("import_runs", "Import runs", ":material/upload_file:", _YOU),
    PageEntry("progress", "Progress", ":material/monitoring:", _YOU),
    PageEntry("settings", "Settings", ":material/tune:", _ABOUT),
    PageEntry("my_data", "My data", ":material/folder_shared:", _ABOUT),
    PageEntry("about", "About and safety", ":material/info:", _ABOUT),
)

#: The sidebar's sections, in order.
SECTIONS: tuple[str, ...] = (_YOU, _ABOUT)

#: Every page's file name without ``.py``, in sidebar order.
NAMES: tuple[str, ...] = tuple(p.name for p in PAGES)

#: Every page's URL path in sidebar order ("" is Today).
ADDRESSES: tuple[str, ...] = tuple(p.address for p in PAGES)

# -- clinic mode (KNEE_DATABASE_URL set; docs/clinic.md) ----------------------------------

_CLINIC = "Your physiotherapist"
_PRACTICE = "Your practice"

#: A signed-in patient: the one-person app's pages, with Your data (export and import
#: on the server) in place of My data (which is about a file on this computer), plus the
#: page where they accept their physiotherapist's code.
CLINIC_PATIENT_PAGES: tuple[PageEntry, ...] = (
    *(p for p in PAGES if p.name != "my_data"),
    PageEntry("clinic_physio", "Your physiotherapist", ":material/medical_services:", _CLINIC),
    PageEntry("clinic_my_data", "Your data", ":material/folder_shared:", _ABOUT),
)

#: A signed-in physiotherapist: their patients (the first, the default page), the
#: patient they opened, and the audit log. None of these writes a patient's data.
CLINIC_PHYSIO_PAGES: tuple[PageEntry, ...] = (
    PageEntry("clinic_patients", "Patients", ":material/groups:", _PRACTICE),
    PageEntry("clinic_patient", "Patient", ":material/person:", _PRACTICE),
    PageEntry("clinic_audit", "Audit log", ":material/history:", _PRACTICE),
)

#: The sidebar's sections in clinic mode, in order (each role uses those it has).
CLINIC_SECTIONS: tuple[str, ...] = (_YOU, _CLINIC, _ABOUT, _PRACTICE)
