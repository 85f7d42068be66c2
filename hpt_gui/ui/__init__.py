"""The Qt window. Thin: it drives hpt_gui.core and computes no score itself."""
