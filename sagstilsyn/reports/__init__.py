"""Lovoverholdelsesprocenter (compliance figures): statistics, dashboards and the committee report."""
