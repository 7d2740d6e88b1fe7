package io.duban.notification.delivery;

import java.util.List;

/** One page of the delivery log: `nextCursor` is absent on the last page. */
public record DeliveryPage(List<DeliveryView> items, String nextCursor, int limit) {
}
