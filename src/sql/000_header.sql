-- loyalty: customer-loyalty and retention analytics inside PostgreSQL.
--
-- This install script is assembled by the Makefile from the fragments in src/sql/, one per feature, in name
-- order. Every object is created in the extension's schema (no schema is hard-coded: the extension is
-- relocatable). Aggregate support functions (*_accum, *_combine, *_final, ...) are SQL-callable so that
-- PostgreSQL and distributed engines can run partial aggregation; they validate the states they are given.

\echo Use "CREATE EXTENSION loyalty" to load this file. \quit

