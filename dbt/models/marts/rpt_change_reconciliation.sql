-- Printed total change of every row against the change computed from the same row's amounts,
-- and against the year-over-year mart. |difference| <= 0.1 is the document's own rounding.
-- A/80/400 compares two phases of one year (2026 revised vs 2026 proposed, base_phase): the base amount is
-- the base phase's, the later amount the change's own phase; the yoy mart is compared only across calendar years.
{% set families = [('resources', 'int_resources_labelled', 'fct_resources_yoy'),
                   ('posts', 'int_posts_labelled', 'fct_posts_yoy')] %}
{% for family, model, yoy_model in families %}
{% if not loop.first %}union all{% endif %}
select
    '{{ family }}' as family,
    c.document_id, c.document_symbol, c.entity_code, c.source_table, c.source_line, c.row_label,
    c.funding_source, c.breakdown, c.line_item_code, c.base_year, c.base_phase, c.fiscal_year,
    coalesce(c.value, 0) as printed_change,
    round(coalesce(a1.value, 0) - coalesce(a0.value, 0), 1) as computed_change,
    round(coalesce(c.value, 0) - (coalesce(a1.value, 0) - coalesce(a0.value, 0)), 1) + 0.0 as difference,  -- + 0.0: no -0.0
    y.change as yoy_change,
    round(coalesce(c.value, 0) - y.change, 1) + 0.0 as yoy_difference
from {{ ref(model) }} as c
join {{ ref(model) }} as a0
  on a0.document_id = c.document_id and a0.source_table = c.source_table and a0.source_line = c.source_line
 and a0.funding_source = c.funding_source and a0.scope_code is not distinct from c.scope_code and a0.measure = 'amount' and a0.fiscal_year = c.base_year
 and (c.base_phase is null or a0.phase = c.base_phase)
join {{ ref(model) }} as a1
  on a1.document_id = c.document_id and a1.source_table = c.source_table and a1.source_line = c.source_line
 and a1.funding_source = c.funding_source and a1.scope_code is not distinct from c.scope_code and a1.measure = 'amount' and a1.fiscal_year = c.fiscal_year
 and (c.phase is null or a1.phase = c.phase)
left join {{ ref(yoy_model) }} as y
  on y.entity_code is not distinct from c.entity_code and y.funding_source = c.funding_source
 and y.breakdown = c.breakdown and y.scope_code is not distinct from c.scope_code and y.line_item_code = c.line_item_code
 and y.fiscal_year = c.fiscal_year and y.prior_phase is not null and c.base_year = c.fiscal_year - 1
where c.measure = 'change_total'
  and c.value_status in ('value', 'nil')
  and a0.value_status in ('value', 'nil') and a1.value_status in ('value', 'nil')
{% endfor %}
