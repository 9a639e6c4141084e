// Analysis: Used versus granted access over a window.
