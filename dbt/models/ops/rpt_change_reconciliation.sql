-- Printed total change of every row against the change computed from the same row's amounts
-- (int_change_reconciliation, per document), and against the year-over-year mart (across documents: a
-- table, rebuilt whole). The yoy mart is compared only across calendar years: `c.base_year = y.fiscal_year - 1`
-- says it (y.fiscal_year = c.fiscal_year), naming both sides so DuckDB hashes the join; a condition on the left
-- side alone made it a nested-loop join (3.6 s of CPU at 1,000 documents instead of 0.06 s, issue 12).
{% set families = [('resources', 'fct_resources_yoy'), ('posts', 'fct_posts_yoy')] %}
select
    c.family, c.document_id, c.document_symbol, c.entity_code, c.source_table, c.source_line, c.row_label,
    c.funding_source, c.breakdown, c.line_item_code, c.base_year, c.base_phase, c.fiscal_year,
    c.printed_change, c.computed_change, c.difference,
    y.change as yoy_change,
    round(c.printed_change - y.change, 1) + 0.0 as yoy_difference
from {{ ref('int_change_reconciliation') }} as c
left join (
    {% for family, yoy_model in families %}
    {% if not loop.first %}union all{% endif %}
    select '{{ family }}' as family, entity_code, funding_source, breakdown, scope_code, line_item_code,
           fiscal_year, prior_phase, change
    from {{ ref(yoy_model) }}
    {% endfor %}
) as y
  on y.family = c.family
 and y.entity_code is not distinct from c.entity_code and y.funding_source = c.funding_source
 and y.breakdown = c.breakdown and y.scope_code is not distinct from c.scope_code and y.line_item_code = c.line_item_code
 and y.fiscal_year = c.fiscal_year and y.prior_phase is not null and c.base_year = y.fiscal_year - 1
