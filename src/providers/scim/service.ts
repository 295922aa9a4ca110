export interface ScimService {
  bulk: { maxOperations: number; maxPayloadSize: number } | null;
  etags: boolean;
  pageSize: number;
}
