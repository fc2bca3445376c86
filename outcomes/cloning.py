"""Prepare the next workshop of a series: the registry of what carries over.

Each subject that carries over to the next workshop registers one step here (from its app's or
module's ready-time registration). A step is called as ``step(source, target, shift)`` inside the
clone's transaction, in the order registered: ``source`` and ``target`` are Workshop rows and
``shift`` the timedelta to add to every date and time copied. A step copies definitions only:
never participants, files or answers.
"""

CLONE_STEPS = []


def add_clone_step(step):
    if step not in CLONE_STEPS:
        CLONE_STEPS.append(step)
