-- One label per (breakdown, entity, code): a second one would duplicate every fact joined to it.
select breakdown, entity_code, code, count(*) as n
from {{ ref('int_line_item_labels') }}
group by all
having count(*) > 1
