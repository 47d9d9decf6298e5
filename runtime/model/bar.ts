/** A bar from a feed, labelled by its end (UTC ms). */
export interface Bar {
  symbol: string;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
