package sn.wolo.platform.db;

import java.lang.reflect.Array;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of a multi-row statement ({@code INSERT … SELECT FROM unnest($1::uuid[], …)},
 * {@code UPDATE … FROM unnest(…)}): one typed array per column, read from the rows by an accessor.
 */
public final class Columns {

  private Columns() {
  }

  /** {@code column} of every row, in order, as an array of {@code type} (the driver binds it as that SQL array). */
  public static <T, C> C[] of(List<T> rows, Class<C> type, Function<? super T, ? extends C> column) {
    @SuppressWarnings("unchecked")
    C[] values = (C[]) Array.newInstance(type, rows.size());
    for (int i = 0; i < values.length; i++) values[i] = column.apply(rows.get(i));
    return values;
  }
}
