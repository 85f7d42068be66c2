"""What the trials say: score distributions, curves, importance, the verdict, the 1-SE choice.

Everything here is plain Python and numpy over stored trials (or over fits run in the
worker processes), tested on numbers; the window only draws what these functions return.
"""
