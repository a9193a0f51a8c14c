-- Printed total change of every row against the change computed from the same row's amounts (the per-document
-- part of ops.rpt_change_reconciliation, incremental by document; the comparison with the year-over-year
-- marts, which span documents, is made there). |difference| <= 0.1 is the document's own rounding.
-- A/80/400 compares two phases of one year (2026 revised vs 2026 proposed, base_phase): the base amount is
-- the base phase's, the later amount the change's own phase.
{{ config(**by_document_config()) }}
{% set families = [('resources', 'int_resources_labelled'), ('posts', 'int_posts_labelled')] %}
{% for family, model in families %}
{% if not loop.first %}union all{% endif %}
select
    '{{ family }}' as family,
    c.document_id, c.document_symbol, c.entity_code, c.source_table, c.source_line, c.row_label,
    c.funding_source, c.breakdown, c.scope_code, c.line_item_code, c.base_year, c.base_phase, c.fiscal_year,
    coalesce(c.value, 0) as printed_change,
    round(coalesce(a1.value, 0) - coalesce(a0.value, 0), 1) as computed_change,
    round(coalesce(c.value, 0) - (coalesce(a1.value, 0) - coalesce(a0.value, 0)), 1) + 0.0 as difference  -- + 0.0: no -0.0
from {{ ref(model) }} as c
join {{ ref(model) }} as a0
  on a0.document_id = c.document_id and a0.source_table = c.source_table and a0.source_line = c.source_line
 and a0.funding_source = c.funding_source and a0.scope_code is not distinct from c.scope_code and a0.measure = 'amount' and a0.fiscal_year = c.base_year
 and (c.base_phase is null or a0.phase = c.base_phase)
join {{ ref(model) }} as a1
  on a1.document_id = c.document_id and a1.source_table = c.source_table and a1.source_line = c.source_line
 and a1.funding_source = c.funding_source and a1.scope_code is not distinct from c.scope_code and a1.measure = 'amount' and a1.fiscal_year = c.fiscal_year
 and (c.phase is null or a1.phase = c.phase)
where c.measure = 'change_total'
  and c.value_status in ('value', 'nil')
  and a0.value_status in ('value', 'nil') and a1.value_status in ('value', 'nil')
  -- each side: DuckDB does not carry the filter across the join, and would label every document's amounts
  and {{ changed_documents('c.document_id') }}
  and {{ changed_documents('a0.document_id') }}
  and {{ changed_documents('a1.document_id') }}
{% endfor %}
