"""Learning from reviewers: approved post-edits of a direction → a new model version.

``data`` collects the approved pairs and holds out whole articles; ``finetune`` continues
the direction's model on them (with a replay of its old training text); ``evaluate`` scores
old and new with chrF and TER; ``run`` ties them together and promotes the new version only
when it wins (``promotion``). Versions live side by side (``mt.versions``).
"""
