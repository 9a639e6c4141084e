// Compare: Before/after grant comparison (no new access, access not granted).
