"""What a workshop leaves behind: evaluations, recommendations followed up, cooperation needs and offers.

The models live in one module per subject; this module gathers them for Django.
"""
