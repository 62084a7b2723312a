"""PDCA plans: the form, the plan and its cycles, the check of target against done, act, views."""
