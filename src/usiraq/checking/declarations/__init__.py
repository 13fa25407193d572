"""Every exercise, quick question, chart task and written task of the module, one file per notebook.

Importing this package declares them all in ``usiraq.checking.registry``
(``registry.load()`` does it, and nothing else imports this package).
Ids are ``NN.k`` for the exercises of notebook NN and ``NN.qk`` for the quick
questions in the lecture notebook.  Expected answers are computed from
``data/`` wherever they can be, never typed by hand.
"""

from . import n00_start_here, n01_emergence, n02_bases, n03_tasks, n04_challenges, n05_conclusion  # noqa: F401
